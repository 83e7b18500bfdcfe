/// A UTC instant with millisecond precision, written as `YYYY-MM-DDTHH:MM:SS.mmmZ` (RFC 3339,
/// always exactly 24 characters, so text order is time order).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Years 0000–9999 are the only ones the fixed-width form can write.
    public static let range: ClosedRange<Int64> = -62_167_219_200_000...253_402_300_799_999

    /// Parses exactly the canonical form; anything else (offsets, missing milliseconds,
    /// impossible dates) returns nil.
    public init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = parsed
    }

    /// Parses the 24 ASCII bytes of the text form (see `init?(_:)`).
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let parsed = Self.parse(bytes) else { return nil }
        self = parsed
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard b.count == 24, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
              b[19] == 0x2E, b[23] == 0x5A else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for i in range {
                let digit = b[i] &- 0x30
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              let millis = number(20..<23), (1...12).contains(month), hour < 24, minute < 60, second < 60,
              (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        return Timestamp(millisecondsSinceEpoch: ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis)
    }

    public var description: String {
        guard Self.range.contains(millisecondsSinceEpoch) else {
            var utf8: [UInt8] = []
            write(into: &utf8)
            return String(decoding: utf8, as: UTF8.self)
        }
        // Straight into the string's storage: one allocation, no array to grow and copy (the
        // projection rows of a rebuild hold a few of these per request).
        return String(unsafeUninitializedCapacity: 24) { text in
            format(into: text)
            return 24
        }
    }

    /// Appends the 24-byte text form to `output` (the envelope encoder writes it directly).
    public func write(into output: inout [UInt8]) {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: 24))
        output.withUnsafeMutableBufferPointer { format(into: UnsafeMutableBufferPointer(rebasing: $0[start...])) }
        // Outside `range` (years before 0 or after 9999) the text is not a valid timestamp
        // anyway; write the year as a number rather than trap.
        if !Self.range.contains(millisecondsSinceEpoch) {
            output.replaceSubrange(start..<(start + 4), with: String(Self.civilFromDays(days).0).utf8)
        }
    }

    /// Whole days since the epoch (floored: the day an instant before 1970 falls in).
    private var days: Int64 { (millisecondsSinceEpoch - millisecondsSinceEpoch.modulo(86_400_000)) / 86_400_000 }

    /// Writes the 24-byte text form into the first 24 bytes of `text`, for a year of four
    /// digits (`write(into:)` puts in any other).
    private func format(into text: UnsafeMutableBufferPointer<UInt8>) {
        let millis = millisecondsSinceEpoch.modulo(86_400_000)
        let (year, month, day) = Self.civilFromDays(days)
        func digits(_ value: Int64, _ width: Int, at offset: Int) {
            var rest = value
            for position in (offset..<(offset + width)).reversed() {
                text[position] = 0x30 + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
        }
        digits(abs(year), 4, at: 0)
        text[4] = 0x2D
        digits(month, 2, at: 5)
        text[7] = 0x2D
        digits(day, 2, at: 8)
        text[10] = 0x54
        digits(millis / 3_600_000, 2, at: 11)
        text[13] = 0x3A
        digits(millis / 60_000 % 60, 2, at: 14)
        text[16] = 0x3A
        digits(millis / 1000 % 60, 2, at: 17)
        text[19] = 0x2E
        digits(millis % 1000, 3, at: 20)
        text[23] = 0x5A
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    /// This instant moved by `milliseconds`.
    public func adding(milliseconds: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + milliseconds)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days, proleptic Gregorian calendar.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    fileprivate func modulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
