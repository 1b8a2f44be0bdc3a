import Mustache

/// A page model as the template engine reads it fastest. The engine looks a name up by building
/// a `Mirror` of every object on its context stack, for every tag: on a page of long tables most
/// of the render time. `TemplateTree.node` reflects each struct once instead, into a dictionary
/// of its stored properties (a `MustacheParent`), recursively through arrays and optionals; the
/// engine's own rules are kept: a nil optional is an absent name (the lookup goes on down the
/// stack, as `Mirror.getValue` returns nil), and values that answer by name already are kept.
/// Pure.
enum TemplateTree {
    /// One struct's properties by name.
    struct Node: MustacheParent {
        let children: [String: Any]
        func child(named name: String) -> Any? { children[name] }
    }

    static func node(_ value: Any) -> Any {
        if value is MustacheParent || value is String { return value }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct:
            var children: [String: Any] = [:]
            children.reserveCapacity(mirror.children.count)
            for child in mirror.children {
                guard let label = child.label, children[label] == nil, let present = unwrapped(child.value) else { continue }
                children[label] = node(present)
            }
            return Node(children: children)
        case .collection:
            return mirror.children.map { node($0.value) }
        case .optional:
            return mirror.children.first.map { node($0.value) } as Any
        default:
            return value
        }
    }

    /// The value inside one level of optional; nil for `.none` (as the engine's Mirror lookup).
    static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}
