import Foundation
import Render
import Slicer

/// Assembling frames into a video with ffmpeg.
public enum Video {
    /// Checks, before any long work, that `path` is an .mp4 or .gif that can be written and that ffmpeg exists.
    public static func checkTools(for path: String) throws {
        guard path.hasSuffix(".mp4") || path.hasSuffix(".gif") else { throw TesseraError.badInput("--video must end in .mp4 or .gif") }
        try OutputFile.checkWritable(path)
        guard findExecutable("ffmpeg") != nil else {
            throw TesseraError.badInput("--video needs ffmpeg: install the Debian package 'ffmpeg' (apt-get install ffmpeg)")
        }
    }

    /// The first executable called `name` on $PATH.
    public static func findExecutable(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Assembles frames (in the given order) into an .mp4 or .gif through ffmpeg's concat demuxer;
    /// the video appears whole or not at all.
    public static func make(frames: [String], to path: String, fps: Int) throws {
        guard fps >= 1 else { throw TesseraError.badInput("--fps must be positive") }
        guard let lastFrame = frames.last else { throw TesseraError.badInput("no frames for \(path)") }
        guard let ffmpeg = findExecutable("ffmpeg") else { throw TesseraError.badInput("ffmpeg not found (apt-get install ffmpeg)") }
        let list = NSTemporaryDirectory() + "tessera-frames-\(getpid()).txt"
        let duration = 1.0 / Double(fps)
        let lines = frames.map { "file '\(URL(fileURLWithPath: $0).path)'\nduration \(duration)" } + ["file '\(URL(fileURLWithPath: lastFrame).path)'"]
        try OutputFile.write(lines.joined(separator: "\n") + "\n", to: list)
        defer { unlink(list) }
        let extensionName = (path as NSString).pathExtension
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.tessera-video-\(getpid()).\(extensionName)"
        let filter = path.hasSuffix(".gif")
            ? "scale=720:-1:flags=lanczos,split[a][b];[a]palettegen[p];[b][p]paletteuse"
            : "scale=trunc(iw/2)*2:trunc(ih/2)*2,format=yuv420p"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = ["-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list, "-vf", filter, temporary]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw TesseraError.io("ffmpeg could not write \(path)")
        }
    }
}
