import GRDB

/// Raw SQL on a ledger file, as an attacker with write access would run it.
enum SQL {
    static func execute(on path: String, _ statements: [String]) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            for statement in statements { try db.execute(sql: statement) }
        }
        try queue.close()
    }
}
