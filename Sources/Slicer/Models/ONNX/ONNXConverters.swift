// The operator registry: ONNX operator type -> its converter.

enum ONNXConverters {
    static let all: [any ONNXOperatorConverter.Type] = [
        GemmConverter.self, MatMulConverter.self, AddConverter.self, ConvConverter.self, BatchNormConverter.self,
        AveragePoolConverter.self, MaxPoolConverter.self, GlobalAveragePoolConverter.self, GlobalMaxPoolConverter.self, ReduceMeanConverter.self,
        FlattenConverter.self, ReshapeConverter.self, IdentityConverter.self, SqueezeConverter.self,
        ReluConverter.self, LeakyReluConverter.self, PReluConverter.self, AbsConverter.self,
        SigmoidConverter.self, TanhConverter.self, GeluConverter.self, MulConverter.self, SoftmaxConverter.self, ErfConverter.self,
        ConstantConverter.self, ShapeConverter.self, GatherConverter.self, ConcatConverter.self, CastConverter.self,
        SliceConverter.self, TransposeConverter.self, ConstantArithmeticConverter.self,
    ]

    static let byOpType: [String: any ONNXOperatorConverter.Type] = {
        var table: [String: any ONNXOperatorConverter.Type] = [:]
        for converter in all { for opType in converter.opTypes { table[opType] = converter } }
        return table
    }()
}
