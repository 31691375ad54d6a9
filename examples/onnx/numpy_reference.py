"""A float64 numpy evaluator for the ONNX operators tessera reads: the independent reference for the
hand-built corner-case fixtures (onnxruntime, in float32, is the second opinion).

Pooling follows PyTorch's conventions, which ONNX adopted: with ceil_mode a last window that would start
in the right padding is dropped, and count_include_pad divides by the window clipped to the padded input.
"""
import math

import numpy as np
import onnx
from onnx import numpy_helper


def _attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _output_size(size, kernel, stride, pad_begin, pad_end, dilation, ceil_mode):
    span = size + pad_begin + pad_end - dilation * (kernel - 1) - 1
    if ceil_mode:
        out = math.ceil(span / stride) + 1
        if (out - 1) * stride >= size + pad_begin:
            out -= 1
    else:
        out = span // stride + 1
    return out


def conv(x, w, b, strides=(1, 1), pads=(0, 0, 0, 0), dilations=(1, 1), group=1):
    n, c, h, wid = x.shape
    m, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = _output_size(h, kh, strides[0], pads[0], pads[2], dilations[0], False)
    ow = _output_size(wid, kw, strides[1], pads[1], pads[3], dilations[1], False)
    out = np.zeros((n, m, oh, ow))
    per_group = m // group
    for g in range(group):
        xs = xp[:, g * cg:(g + 1) * cg]
        for oc in range(g * per_group, (g + 1) * per_group):
            for i in range(kh):
                for j in range(kw):
                    r0, c0 = i * dilations[0], j * dilations[1]
                    patch = xs[:, :, r0:r0 + strides[0] * (oh - 1) + 1:strides[0], c0:c0 + strides[1] * (ow - 1) + 1:strides[1]]
                    out[:, oc] += np.tensordot(patch, w[oc, :, i, j], axes=([1], [0]))
    if b is not None:
        out += b[None, :, None, None]
    return out


def pool(x, kind, kernel, strides, pads=(0, 0, 0, 0), dilations=(1, 1), ceil_mode=0, count_include_pad=0):
    n, c, h, w = x.shape
    oh = _output_size(h, kernel[0], strides[0], pads[0], pads[2], dilations[0], ceil_mode)
    ow = _output_size(w, kernel[1], strides[1], pads[1], pads[3], dilations[1], ceil_mode)
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            rows = [i * strides[0] - pads[0] + a * dilations[0] for a in range(kernel[0])]
            cols = [j * strides[1] - pads[1] + a * dilations[1] for a in range(kernel[1])]
            inside_rows = [r for r in rows if 0 <= r < h]
            inside_cols = [q for q in cols if 0 <= q < w]
            window = x[:, :, inside_rows][:, :, :, inside_cols]
            if kind == "max":
                out[:, :, i, j] = window.max(axis=(2, 3))
            else:
                if count_include_pad:
                    # The window clipped to the padded input (PyTorch's divisor).
                    count_r = len([r for r in rows if -pads[0] <= r < h + pads[2]])
                    count_c = len([q for q in cols if -pads[1] <= q < w + pads[3]])
                    divisor = count_r * count_c
                else:
                    divisor = len(inside_rows) * len(inside_cols)
                out[:, :, i, j] = window.sum(axis=(2, 3)) / divisor
    return out


def _gemm(a, b, c, alpha=1.0, beta=1.0, transA=0, transB=0):
    a = a.T if transA else a
    b = b.T if transB else b
    out = alpha * (a @ b)
    if c is not None:
        out = out + beta * c
    return out


def _reshape(x, shape, allowzero=0):
    shape = [int(s) for s in shape]
    if not allowzero:
        shape = [x.shape[i] if s == 0 else s for i, s in enumerate(shape)]
    return x.reshape(shape)


def _softmax(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def evaluate(model, feeds, wanted):
    """Values (float64) of the tensors named in `wanted`, computing every node in float64."""
    values = {k: np.asarray(v, dtype=np.float64) for k, v in feeds.items()}
    for init in model.graph.initializer:
        values[init.name] = numpy_helper.to_array(init).astype(np.float64)
    for node in model.graph.node:
        a = _attributes(node)
        ins = [values[name] if name else None for name in node.input]
        op = node.op_type
        if op == "Constant":
            out = numpy_helper.to_array(a["value"]).astype(np.float64)
        elif op == "Conv":
            out = conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a.get("strides", (1, 1)),
                       a.get("pads", (0, 0, 0, 0)), a.get("dilations", (1, 1)), a.get("group", 1))
        elif op in ("MaxPool", "AveragePool"):
            out = pool(ins[0], "max" if op == "MaxPool" else "avg", a["kernel_shape"], a.get("strides", (1, 1)),
                       a.get("pads", (0, 0, 0, 0)), a.get("dilations", (1, 1)), a.get("ceil_mode", 0),
                       a.get("count_include_pad", 0))
        elif op == "GlobalAveragePool":
            out = ins[0].mean(axis=(2, 3), keepdims=True)
        elif op == "Gemm":
            out = _gemm(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a.get("alpha", 1.0), a.get("beta", 1.0),
                        a.get("transA", 0), a.get("transB", 0))
        elif op == "MatMul":
            out = ins[0] @ ins[1]
        elif op == "Add":
            out = ins[0] + ins[1]
        elif op == "Relu":
            out = np.maximum(ins[0], 0.0)
        elif op == "LeakyRelu":
            alpha = a.get("alpha", 0.01)
            out = np.where(ins[0] >= 0, ins[0], alpha * ins[0])
        elif op == "PRelu":
            out = np.where(ins[0] >= 0, ins[0], ins[1] * ins[0])
        elif op == "Abs":
            out = np.abs(ins[0])
        elif op == "BatchNormalization":
            x, scale, bias, mean, var = ins[:5]
            eps = a.get("epsilon", 1e-5)
            shape = (1, -1) + (1,) * (x.ndim - 2)
            out = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * scale.reshape(shape) + bias.reshape(shape)
        elif op == "Flatten":
            axis = a.get("axis", 1)
            out = ins[0].reshape(int(np.prod(ins[0].shape[:axis])), -1)
        elif op == "Reshape":
            out = _reshape(ins[0], ins[1], a.get("allowzero", 0))
        elif op in ("Identity", "Dropout"):
            out = ins[0]
        elif op == "Softmax":
            out = _softmax(ins[0], a.get("axis", -1))
        elif op == "LogSoftmax":
            out = np.log(_softmax(ins[0], a.get("axis", -1)))
        else:
            raise NotImplementedError(f"numpy reference: no {op}")
        values[node.output[0]] = out
    return [values[name] for name in wanted]
