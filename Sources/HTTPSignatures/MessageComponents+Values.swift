extension MessageComponents {
    /// The value a covered component contributes to the signature base (RFC 9421 §2.1, §2.2).
    ///
    /// - Throws: `.unsupportedComponent` for a derived component this code does not produce
    ///   (`@status`, `@query-param`, anything unknown); `.missingComponent` for an absent field.
    func value(of component: String) throws -> String {
        switch component {
        case "@method": return method
        case "@target-uri": return scheme.lowercased() + "://" + authority + normalisedPath + (query.map { "?" + $0 } ?? "")
        case "@authority": return normalisedAuthority
        case "@scheme": return scheme.lowercased()
        case "@request-target": return normalisedPath + (query.map { "?" + $0 } ?? "")
        case "@path": return normalisedPath
        case "@query": return "?" + (query ?? "")
        default:
            guard !component.hasPrefix("@") else {
                throw HTTPSignatureError(.unsupportedComponent, "the derived component '\(component)' is not supported")
            }
            let lines = values(of: component)
            guard !lines.isEmpty else {
                throw HTTPSignatureError(.missingComponent, "the covered field '\(component)' is not in the message")
            }
            // §2.1: each field line trimmed of leading and trailing whitespace, joined by ", ".
            return lines.map { $0.trimmingOptionalWhitespace() }.joined(separator: ", ")
        }
    }

    private var normalisedPath: String { path.isEmpty ? "/" : path }

    /// §2.2.3: the host lowercased, the scheme's default port left out (HTTP §4.2.3).
    private var normalisedAuthority: String {
        let lowered = authority.lowercased()
        let defaultPort = ["http": ":80", "https": ":443"][scheme.lowercased()]
        if let defaultPort, lowered.hasSuffix(defaultPort) {
            return String(lowered.dropLast(defaultPort.count))
        }
        return lowered
    }
}

extension String {
    /// Without leading and trailing SP and HTAB (RFC 9110 OWS), which field values do not include.
    fileprivate func trimmingOptionalWhitespace() -> String {
        let utf8 = self.utf8
        let isOWS: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = utf8.firstIndex(where: { !isOWS($0) }), let last = utf8.lastIndex(where: { !isOWS($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
