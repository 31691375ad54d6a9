// Small conveniences over the generated ONNX protobuf types.

extension Onnx_TypeProto {
    /// True when the value is a tensor (not a sequence, map or optional).
    var isTensor: Bool {
        if case .tensorType? = value { return true }
        return false
    }
}
