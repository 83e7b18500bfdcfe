public import Foundation

/// Where tests find the package, the shared vectors and the built `ledger` binary.
public enum TestPaths {
    /// The package root (this file is Tests/TestSupport/TestPaths.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/vectors`, beside the clone.
    public static let vectors = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")

    /// The directory holding the test executable, where SwiftPM also puts `ledger`.
    public static let productsDirectory: URL = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // On Linux the tests run from <products>/<package>PackageTests.xctest.
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        return directory
    }()

    /// The built `ledger` executable.
    public static var ledgerBinary: URL { productsDirectory.appendingPathComponent("ledger") }

    /// Reads a vector file's bytes.
    public static func vector(_ relativePath: String) throws -> Data {
        try Data(contentsOf: vectors.appendingPathComponent(relativePath))
    }

    /// Parses a vector JSON file with Foundation, independent of the code under test.
    public static func vectorJSON(_ relativePath: String) throws -> Any {
        try JSONSerialization.jsonObject(with: vector(relativePath))
    }
}
