/// A generated object, in memory, as a program would hold it before handing it to a worker.
public enum Payload: Sendable, Hashable {
    case blob([UInt8])
    case text(String)
    case numeric([Double])
    case records([Record])
    case tree(TreeNode)

    public var shape: PayloadShape {
        switch self {
        case .blob: return .blob
        case .text: return .text
        case .numeric: return .numeric
        case .records: return .records
        case .tree: return .tree
        }
    }
}
