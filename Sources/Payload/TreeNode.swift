/// A node of a `tree` payload: a JSON-like document whose maps keep their keys in order.
public indirect enum TreeNode: Sendable, Hashable {
    case map([TreeEntry])
    case array([TreeNode])
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
}

/// One key and value of a `TreeNode.map`.
public struct TreeEntry: Sendable, Hashable {
    public var key: String
    public var value: TreeNode

    public init(key: String, value: TreeNode) {
        self.key = key
        self.value = value
    }
}
