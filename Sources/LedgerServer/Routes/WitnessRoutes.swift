import ApprovalLedger
import Dispatch
import HTTPTypes
import Hummingbird

/// C2SP tlog-witness `POST /add-checkpoint` (docs/WITNESS.md), served when `ledger serve` runs
/// with `--witness`; otherwise it answers 404 `witness-not-enabled`. Unauthenticated, as the
/// protocol is: the log's signature on the checkpoint is the only credential.
struct WitnessRoutes: Sendable {
    let witness: Witness?

    /// Open to callers without credentials.
    static let openPaths: Set<String> = ["/add-checkpoint"]

    func register(_ routes: inout RouteTable) {
        routes.add(.post, "/add-checkpoint", addCheckpoint)
    }

    /// 200 with the cosignature line (`text/plain`), 409 with the witness's size
    /// (`text/x.tlog.size`), and the protocol's other statuses as problem details.
    @Sendable func addCheckpoint(_ request: Request, _ context: ServerContext) async throws -> Response {
        guard let witness else {
            throw Problem(status: .notFound, code: "witness-not-enabled", detail: "this server is not a witness: start it with `ledger serve --witness DIR --witness-key KEY`")
        }
        _ = try QueryParameters(request, allowed: [])
        var request = request
        let body = Array(buffer: try await request.collectBody(upTo: ServerLimits.maxBodyBytes))
        do {
            let lines = try await Self.offloaded { try witness.addCheckpoint(body: body) }
            return JSONResponse.bytesResponse(lines, contentType: "text/plain; charset=utf-8")
        } catch let refusal as WitnessRefusal {
            if refusal.code == .sizeConflict, let size = refusal.currentSize {
                return JSONResponse.bytesResponse(Array("\(size)\n".utf8), status: .conflict, contentType: "text/x.tlog.size")
            }
            throw Problem(status: HTTPResponse.Status(code: refusal.httpStatus), code: refusal.stableCode, detail: refusal.message)
        }
    }

    /// Runs the witness's blocking file work (reads, `flock`, fsync) off the server's threads.
    private static func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
