/// `docs/openapi.yaml`, embedded in the binary (SwiftPM embeds only files inside the
/// target, so the file lives beside this one and `docs/openapi.yaml` links to it).
public enum OpenAPIDocument {
    public static var bytes: [UInt8] { PackageResources.openapi_yaml }
}
