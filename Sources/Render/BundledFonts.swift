import Foundation

/// The fonts a wheel ships beside the binary (`fonts/fonts.conf` and the files it names), so that
/// pictures have text on a machine with no fonts installed.
public enum BundledFonts {
    /// The system's font configuration, where the fontconfig shipped with tessera looks by default.
    public static let systemConfiguration = "/etc/fonts/fonts.conf"

    /// The fontconfig file to use instead of the system's: the bundled one, when fontconfig is not
    /// configured through the environment, the system has no configuration of its own, and the
    /// binary has fonts beside it; nil otherwise.
    public static func configurationFile(environment: [String: String], systemConfigured: Bool,
                                         executableDirectory: String?,
                                         exists: (String) -> Bool) -> String? {
        guard environment["FONTCONFIG_FILE"] == nil, environment["FONTCONFIG_PATH"] == nil, !systemConfigured,
              let directory = executableDirectory else { return nil }
        let bundled = URL(fileURLWithPath: directory).appendingPathComponent("fonts/fonts.conf").path
        return exists(bundled) ? bundled : nil
    }

    /// Points fontconfig at the bundled fonts when `configurationFile` says so; evaluated once,
    /// before Cairo first draws, since fontconfig reads its environment when it starts.
    static let configured: Void = {
        let files = FileManager.default
        let executable = try? files.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        if let file = configurationFile(environment: ProcessInfo.processInfo.environment,
                                        systemConfigured: files.fileExists(atPath: systemConfiguration),
                                        executableDirectory: executable.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path },
                                        exists: files.fileExists(atPath:)) {
            setenv("FONTCONFIG_FILE", file, 1)
        }
    }()
}
