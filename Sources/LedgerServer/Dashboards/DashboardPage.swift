import ApprovalLedger

/// The frame every dashboard page shares: one self-contained HTML document (no script, no
/// external asset: the `Content-Security-Policy` header forbids loading any and admits only
/// the page's own `<style>` by nonce), a navigation bar, and a meta refresh.
struct DashboardPage {
    /// Seconds between reloads.
    static let refreshSeconds = 30

    static let pages: [(path: String, title: String)] = [
        ("/dashboards/exec", "Executive"), ("/dashboards/oncall", "On-call"), ("/dashboards/debug", "Debug"),
    ]

    let path: String
    let title: String
    let lede: String
    let now: Timestamp
    var body = ""

    init(path: String, title: String, lede: String, now: Timestamp) {
        self.path = path
        self.title = title
        self.lede = lede
        self.now = now
    }

    /// A fresh nonce per answer, for the CSP and the `<style>` element.
    static func nonce() -> String {
        (0..<2).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
    }

    func document(nonce: String) -> String {
        let navigation = Self.pages.map { page in
            #"<a href="\#(page.path)"\#(page.path == path ? #" class="current" aria-current="page""# : "")>\#(page.title)</a>"#
        }.joined()
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="\(Self.refreshSeconds)">
            <link rel="icon" href="data:,">
            <title>\(HTML.escape(title)) · approval-ledger</title>
            <style nonce="\(nonce)">\(Self.style)</style>
            </head>
            <body>
            <header class="top"><a class="brand" href="/dashboards">approval-ledger</a><nav>\(navigation)</nav><span class="stamp">as of \(Self.time(now)) UTC · refreshes every \(Self.refreshSeconds) s</span></header>
            <main>
            <h1>\(HTML.escape(title))</h1>
            <p class="lede">\(lede)</p>
            \(body)
            </main>
            <footer>Read from the ledger's projections at each load; definitions in docs/METRICS.md and docs/DASHBOARDS.md. Machine-readable: <code>/metrics</code>, <code>/v1/requests</code>.</footer>
            </body>
            </html>

            """
    }

    /// The strict policy the header carries: nothing loads, only the nonced style applies.
    static func contentSecurityPolicy(nonce: String) -> String {
        "default-src 'none'; style-src 'nonce-\(nonce)'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }

    // MARK: Pieces

    mutating func section(_ heading: String, _ content: String) {
        body += "<section><h2>\(HTML.escape(heading))</h2>\n\(content)\n</section>\n"
    }

    static func tiles(_ tiles: [(label: String, value: String, note: String, tone: String)]) -> String {
        "<div class=\"tiles\">" + tiles.map { tile in
            #"<div class="tile \#(tile.tone)"><div class="label">\#(HTML.escape(tile.label))</div><div class="value">\#(HTML.escape(tile.value))</div><div class="note">\#(HTML.escape(tile.note))</div></div>"#
        }.joined() + "</div>"
    }

    /// A chart with its caption and a legend of (name, colour, dashed).
    static func figure(_ caption: String, _ svg: String, legend: [(String, String, Bool)] = []) -> String {
        var html = "<figure class=\"chart\"><figcaption>\(HTML.escape(caption))</figcaption>\(svg)"
        if !legend.isEmpty {
            html += "<ul class=\"legend\">" + legend.map { name, color, dashed in
                let mark = dashed
                    ? #"<line x1="0" y1="5" x2="14" y2="5" stroke="\#(color)" stroke-width="2" stroke-dasharray="4 2"/>"#
                    : #"<rect x="2" y="1" width="10" height="8" rx="2" fill="\#(color)"/>"#
                return #"<li><svg class="swatch" viewBox="0 0 14 10" aria-hidden="true">\#(mark)</svg>\#(HTML.escape(name))</li>"#
            }.joined() + "</ul>"
        }
        return html + "</figure>"
    }

    /// A bar chart (vertical, or horizontal) with its legend, which names each series as the
    /// chart draws it.
    static func barFigure(_ caption: String, title: String, labels: [String], series: [SVGChart.Series], horizontal: Bool = false) -> String {
        let svg = horizontal ? SVGChart.horizontalBars(title: title, labels: labels, series: series) : SVGChart.bars(title: title, labels: labels, series: series)
        return figure(caption, svg, legend: series.map { ($0.name, $0.color, false) })
    }

    static func charts(_ figures: [String]) -> String { "<div class=\"charts\">" + figures.joined() + "</div>" }

    /// A table; cells are HTML already (escape text with `HTML.escape`).
    static func table(_ headers: [String], _ rows: [[String]], empty: String) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">\(HTML.escape(empty))</p>" }
        return "<table><thead><tr>" + headers.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>"
            + rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined() + "</tbody></table>"
    }

    static let palette = ["#2563eb", "#d97706", "#0d9488", "#7c3aed", "#db2777", "#65a30d", "#475569"]

    // MARK: Formatting

    /// `2026-11-02 09:00:00`.
    static func time(_ time: Timestamp) -> String {
        let text = time.description
        return "\(text.prefix(10)) \(text.dropFirst(11).prefix(8))"
    }

    static func time(milliseconds: Int64) -> String { time(Timestamp(millisecondsSinceEpoch: milliseconds)) }

    /// `87.5%`; `–` when nothing was counted.
    static func percent(_ ratio: ApprovalMetrics.Ratio) -> String {
        ratio.value.map { decimal($0 * 100) + "%" } ?? "–"
    }

    /// At most one decimal, without a trailing `.0`.
    static func decimal(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func duration(_ milliseconds: Int64?) -> String { milliseconds.map(duration) ?? "–" }

    /// `45s`, `3m`, `1h 20m`, `2d 4h`; `−5m` when negative (past a deadline).
    static func duration(_ milliseconds: Int64) -> String {
        if milliseconds < 0 { return "−" + duration(-milliseconds) }
        let seconds = milliseconds / 1000
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 24 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h \(minutes % 60)m" }
        return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d \(hours % 24)h"
    }

    static func code(_ text: String) -> String { "<code>\(HTML.escape(text))</code>" }

    static func status(_ status: String) -> String { #"<span class="status \#(HTML.escape(status))">\#(HTML.escape(status))</span>"# }

    static let style = """
        :root { color-scheme: light; --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --panel: #ffffff; --bg: #f1f5f9; --ok: #15803d; --warn: #b45309; --fail: #b91c1c; --accent: #2563eb; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); margin: 0; }
        header.top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: #0f172a; color: #e2e8f0; }
        header.top a { color: #cbd5e1; text-decoration: none; } header.top .brand { font-weight: 700; color: #fff; letter-spacing: .02em; }
        header.top nav { display: flex; gap: 4px; } header.top nav a { padding: 4px 12px; border-radius: 6px; } header.top nav a:hover { background: #1e293b; }
        header.top nav a.current { background: #2563eb; color: #fff; } header.top .stamp { margin-left: auto; font-size: 12px; color: #94a3b8; }
        main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 8px; }
        h1 { font-size: 24px; margin: 4px 0 4px; } .lede { color: var(--muted); margin: 0 0 16px; max-width: 900px; }
        h2 { font-size: 16px; margin: 0 0 10px; } section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; margin-bottom: 16px; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
        .tile { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 8px; padding: 8px 12px; background: #fff; }
        .tile.ok { border-left-color: var(--ok); } .tile.warn { border-left-color: #d97706; } .tile.fail { border-left-color: var(--fail); } .tile.neutral { border-left-color: #94a3b8; }
        .tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; } .tile .value { font-size: 24px; font-weight: 650; margin: 2px 0; } .tile .note { color: var(--muted); font-size: 12px; min-height: 1em; }
        .tile.fail .value { color: var(--fail); } .tile.warn .value { color: var(--warn); }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 14px; }
        figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 10px; background: #fff; } figcaption { font-weight: 600; margin-bottom: 6px; }
        svg { width: 100%; height: auto; display: block; } svg .tick { font-size: 12px; fill: var(--muted); } svg .grid { stroke: var(--line); } svg .axis { stroke: #94a3b8; }
        svg .area { fill: #2563eb; fill-opacity: 0.15; } svg .line { fill: none; stroke: #2563eb; stroke-width: 1.5; }
        svg.swatch { display: inline-block; width: 14px; height: 10px; margin-right: 5px; vertical-align: baseline; }
        .legend { list-style: none; padding: 0; margin: 6px 0 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: #334155; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #f8fafc; color: #334155; font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .late { color: var(--fail); font-weight: 600; } .soon { color: var(--warn); font-weight: 600; } .fine { color: var(--ok); }
        .status { font-weight: 600; } .status.granted, .status.verified { color: #15803d; } .status.denied, .status.error { color: #b91c1c; } .status.expired, .status.warning { color: #d97706; }
        .status.cancelled, .status.unchecked { color: #64748b; } .status.bypassed { color: #7c3aed; } .status.pending { color: #2563eb; }
        .empty { color: var(--muted); margin: 4px 0; } .pill { display: inline-block; padding: 0 8px; border-radius: 999px; background: #e2e8f0; font-size: 12px; margin: 0 4px 2px 0; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 14px; } .cards a { color: inherit; text-decoration: none; } .cards section:hover { border-color: #2563eb; }
        .cards h2 { color: #2563eb; } .cards p { color: var(--muted); margin: 0 0 10px; }
        footer { max-width: 1280px; margin: 0 auto; padding: 8px 24px 24px; color: var(--muted); font-size: 12px; }
        """
}
