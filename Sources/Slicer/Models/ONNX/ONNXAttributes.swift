// Typed, range-checked access to a node's attributes.

import Foundation

/// A node's attributes by name; every getter checks the attribute's type and range so that no
/// value from the file reaches arithmetic unchecked.
struct ONNXAttributes {
    private var byName: [String: Onnx_AttributeProto] = [:]
    /// Names already read, so the converters can reject attributes they do not understand.
    let names: Set<String>

    init(_ node: Onnx_NodeProto) throws {
        for attribute in node.attribute {
            guard byName[attribute.name] == nil else { throw ONNXNodeError(message: "attribute '\(attribute.name)' appears twice") }
            if attribute.hasRefAttrName { throw ONNXNodeError(message: "attribute '\(attribute.name)' refers to a function attribute, which is not supported") }
            byName[attribute.name] = attribute
        }
        names = Set(byName.keys)
    }

    func has(_ name: String) -> Bool { byName[name] != nil }

    private func attribute(_ name: String, _ type: Onnx_AttributeProto.AttributeType) throws -> Onnx_AttributeProto? {
        guard let attribute = byName[name] else { return nil }
        // Files older than IR version 3 leave the type out; the field that is set then says it.
        if attribute.hasType, attribute.type != type {
            throw ONNXNodeError(message: "attribute '\(name)' has type \(attribute.type), expected \(type)")
        }
        return attribute
    }

    /// An integer attribute in `range`, or `defaultValue` when absent.
    func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let attribute = try attribute(name, .int) else { return defaultValue }
        guard attribute.i >= Int64(range.lowerBound), attribute.i <= Int64(range.upperBound) else {
            throw ONNXNodeError(message: "attribute '\(name)' is \(attribute.i), expected \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(attribute.i)
    }

    /// A list of integers, each in `range`, of `count` elements when given, or nil when absent.
    func ints(_ name: String, count: Int? = nil, in range: ClosedRange<Int>) throws -> [Int]? {
        guard let attribute = try attribute(name, .ints) else { return nil }
        if let count, attribute.ints.count != count {
            throw ONNXNodeError(message: "attribute '\(name)' has \(attribute.ints.count) values, expected \(count)")
        }
        guard attribute.ints.count <= 64 else { throw ONNXNodeError(message: "attribute '\(name)' has \(attribute.ints.count) values") }
        for value in attribute.ints where value < Int64(range.lowerBound) || value > Int64(range.upperBound) {
            throw ONNXNodeError(message: "attribute '\(name)' holds \(value), expected \(range.lowerBound)...\(range.upperBound)")
        }
        return attribute.ints.map { Int($0) }
    }

    /// A finite float attribute, or `defaultValue` when absent (Float to Double is exact).
    func float(_ name: String, default defaultValue: Float) throws -> Double {
        guard let attribute = try attribute(name, .float) else { return Double(defaultValue) }
        guard attribute.f.isFinite else { throw ONNXNodeError(message: "attribute '\(name)' is \(attribute.f), expected a finite number") }
        return Double(attribute.f)
    }

    /// A string attribute (UTF-8), or `defaultValue` when absent.
    func string(_ name: String, default defaultValue: String) throws -> String {
        guard let attribute = try attribute(name, .string) else { return defaultValue }
        guard let text = String(data: attribute.s, encoding: .utf8) else { throw ONNXNodeError(message: "attribute '\(name)' is not UTF-8 text") }
        return text
    }

    /// A tensor attribute (Constant's `value`), or nil when absent.
    func tensor(_ name: String) throws -> Onnx_TensorProto? {
        try attribute(name, .tensor)?.t
    }

    /// The raw attribute, for Constant's less common forms.
    func raw(_ name: String) -> Onnx_AttributeProto? { byName[name] }
}
