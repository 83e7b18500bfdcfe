import ApprovalLedger
import Hummingbird
import Logging

/// The outermost middleware: every error a route or middleware throws becomes one
/// problem-details answer (a classified library error by its class and code; Hummingbird's
/// own errors by their status; anything else a 500 with a generic detail, logged, since its
/// text may say more than a client should read), and every response is counted.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        metrics.requestStarted()
        defer { metrics.requestEnded() }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let problem = Self.problem(for: error, logger: logger, request: request)
            metrics.problem(problem.code)
            response = try problem.response(from: request, context: context)
        }
        metrics.response(method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: response.status.code)
        return response
    }

    static func problem(for error: any Error, logger: Logger, request: Request) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as any ClassifiedError:
            let problem = Problem(error)
            if error.failureClass == .failed {
                logger.error("\(request.method) \(request.uri.path) failed: [\(error.stableCode)] \(error.failureMessage)")
            }
            return problem
        case let error as HTTPError:
            return Problem(status: error.status, code: code(for: error.status), detail: error.body ?? detail(for: error.status))
        default:
            logger.error("\(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
            return Problem(status: .internalServerError, code: "internal", detail: "the server failed to answer this request; its log says why")
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "route-not-found"
        case .methodNotAllowed: "method-not-allowed"
        case .contentTooLarge: "body-too-large"
        case .badRequest: "bad-request"
        case .unsupportedMediaType: "unsupported-media-type"
        default: "http-\(status.code)"
        }
    }

    static func detail(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "no such route; GET /openapi.yaml lists them"
        case .methodNotAllowed: "this route does not take that method; GET /openapi.yaml lists them"
        default: status.reasonPhrase
        }
    }
}
