public import Hummingbird

/// The server's routes, registered in one place so that the list of (method, path) the router
/// serves is also a value: `docs/openapi.yaml` is tested against it, both directions.
public struct RouteTable: Sendable {
    public typealias Handler = @Sendable (Request, ServerContext) async throws -> Response

    public struct Route: Sendable, Hashable {
        public let method: HTTPRequest.Method
        /// The path as OpenAPI writes it, `{name}` for a parameter (Hummingbird reads the same).
        public let path: String
    }

    public private(set) var routes: [Route] = []
    var handlers: [Handler] = []

    public mutating func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        routes.append(Route(method: method, path: path))
        handlers.append(handler)
    }

    func register(on router: Router<ServerContext>) {
        for (route, handler) in zip(routes, handlers) {
            router.on(RouterPath(route.path), method: route.method, use: handler)
        }
    }
}
