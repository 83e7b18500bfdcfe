/// Text for Slack's `mrkdwn` and `plain_text` objects. Slack reads `<…>` as links and mentions
/// and `&` as the start of an entity, so text from a request (a summary, a reason) is escaped
/// before it is shown: a requester cannot make the message mention `@channel` or fake a link.
enum SlackText {
    /// `&`, `<`, `>` as Slack's entities.
    static func escaped(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            default: output.append(character)
            }
        }
        return output
    }

    /// `text` cut to at most `limit` characters (Block Kit's field limits), with an ellipsis.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }

    /// A link `<url|label>`; the URL kept only when it is http(s) and has nothing Slack would
    /// read as the end of the link.
    static func link(_ url: String, label: String) -> String {
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), !url.contains(where: { "<>| \n".contains($0) }) else {
            return escaped(url)
        }
        return "<\(url)|\(escaped(label))>"
    }

    /// Slack's date formatting, `<!date^SECONDS^{date_short_pretty} {time}|fallback>`, shown in
    /// each reader's own time zone.
    static func date(_ millisecondsSinceEpoch: Int64, fallback: String) -> String {
        "<!date^\(millisecondsSinceEpoch / 1000)^{date_short_pretty} {time}|\(escaped(fallback))>"
    }
}
