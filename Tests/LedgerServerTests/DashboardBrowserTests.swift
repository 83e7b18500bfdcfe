import Foundation
import Testing
import TestSupport

/// Each dashboard in real headless Chromium, through selenium and chromium-driver
/// (Tools/check_dashboards.py): headings, inline SVG charts, nothing fetched from elsewhere,
/// no console error. Chromium is a test dependency (Tools/install-test-deps.sh; .ci/run runs
/// it): without it this test fails, it does not skip. Screenshots go to a temporary
/// directory, or to `DASHBOARD_SCREENSHOTS` when set (`docs/` to refresh the committed ones).
@Suite("dashboards in headless Chromium")
struct DashboardBrowserTests {
    @Test func everyPageRendersItsChartsWithoutConsoleErrors() async throws {
        let chromium = try #require(try? ProcessRunner.which("chromium"), "chromium is not installed: run Tools/install-test-deps.sh")
        let driver = try #require(try? ProcessRunner.which("chromedriver"), "chromedriver is not installed: run Tools/install-test-deps.sh")
        let fixture = try await DashboardFixture.make()
        defer { _ = fixture.server.stop() }
        try await fixture.stallTheSmokeRequest()
        let output = ProcessInfo.processInfo.environment["DASHBOARD_SCREENSHOTS"] ?? fixture.server.directory.file("screenshots")
        let result = try ProcessRunner.run(
            "/usr/bin/env",
            [
                "python3", TestPaths.packageRoot.appendingPathComponent("Tools/check_dashboards.py").path, "--url", "http://127.0.0.1:\(fixture.server.port)",
                "--token", fixture.server.token("reader"), "--out", output, "--chromium", chromium, "--chromedriver", driver,
            ],
            currentDirectory: fixture.server.directory.path)
        #expect(result.status == 0, "check_dashboards.py failed:\n\(result.stdout)\n\(result.stderr.suffix(4000))")
        for name in ["exec", "oncall", "debug"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: output + "/dashboard-\(name).png")[.size] as? Int) ?? 0
            #expect(size > 20_000, "the \(name) screenshot is missing or blank (\(size) bytes)")
        }
    }
}
