#!/usr/bin/env bash
# Regenerates Sources/Slicer/Models/ONNX/Proto/onnx.pb.swift from onnx.proto (ONNX 1.23, the proto2 schema
# the onnx Python package ships). Run it after replacing onnx.proto; CI uses the committed output.
# Needs Debian's protobuf-compiler and builds protoc-gen-swift from the swift-protobuf version
# SwiftPM resolved for this package, so the generated code matches the runtime library.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v protoc >/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get install -y -qq protobuf-compiler >/dev/null
fi
swift package resolve
checkout=.build/checkouts/swift-protobuf
[ -d "$checkout" ] || { echo "swift-protobuf is not resolved under $checkout" >&2; exit 1; }
swift build --package-path "$checkout" --product protoc-gen-swift
plugin="$(swift build --package-path "$checkout" --show-bin-path)/protoc-gen-swift"
proto_dir=Sources/Slicer/Models/ONNX/Proto
protoc --plugin=protoc-gen-swift="$plugin" --proto_path="$proto_dir" \
    --swift_opt=Visibility=Internal --swift_out="$proto_dir" "$proto_dir/onnx.proto"
echo "wrote $proto_dir/onnx.pb.swift"
