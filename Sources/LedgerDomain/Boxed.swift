/// An immutable value held on the heap: a large, rarely set member of a value kept by the
/// thousand costs a pointer where it is absent.
final class Boxed<Value: Sendable>: Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
