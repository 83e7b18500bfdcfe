/// Durations in policy files: a positive integer and a unit, `90s`, `30m`, `4h`, `2d`, or
/// several joined (`1h30m`). Held as milliseconds.
public enum DurationText {
    /// Milliseconds for `text`, or nil when it is not a duration.
    public static func milliseconds(_ text: String) -> Int64? {
        var total: Int64 = 0
        var number: Int64?
        var sawUnit = false
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                number = (number ?? 0) * 10 + Int64(digit)
                guard number! < 1_000_000_000 else { return nil }
                continue
            }
            let unit: Int64
            switch character {
            case "s": unit = 1000
            case "m": unit = 60_000
            case "h": unit = 3_600_000
            case "d": unit = 86_400_000
            default: return nil
            }
            guard let value = number else { return nil }
            // Many large parts (`999999999d999999999d…`) would overflow Int64 and trap: a
            // duration that long is not one anyone means.
            let (part, overflowed) = value.multipliedReportingOverflow(by: unit)
            let (sum, overflowedSum) = total.addingReportingOverflow(part)
            guard !overflowed, !overflowedSum else { return nil }
            total = sum
            number = nil
            sawUnit = true
        }
        guard sawUnit, number == nil, total > 0 else { return nil }
        return total
    }

    /// The shortest text for a duration, e.g. `1h30m`.
    public static func format(_ milliseconds: Int64) -> String {
        var rest = milliseconds / 1000
        var parts = ""
        for (unit, name) in [(86_400, "d"), (3600, "h"), (60, "m"), (1, "s")] where rest >= Int64(unit) {
            parts += "\(rest / Int64(unit))\(name)"
            rest %= Int64(unit)
        }
        return parts.isEmpty ? "0s" : parts
    }
}
