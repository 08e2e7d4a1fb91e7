import Foundation

/// The JSON lines a driver command (`bench`, `dask-comm`) writes on stdout, read one event at a time: a line that is
/// not an event is a protocol error naming it, an `error` line the driver's own failure, and a line whose fields the
/// handler cannot decode a protocol error naming its event.
enum DriverLines {
    /// Calls `handle` with each non-empty line's event name and bytes, in order.
    static func forEach(_ stdout: String, _ handle: (String, Data) throws -> Void) throws(PythonRuntimeError) {
        struct Event: Decodable { var event: String; var kind: String?; var message: String? }
        let decoder = JSONDecoder()
        for line in stdout.split(separator: "\n") where !line.isEmpty {
            let data = Data(line.utf8)
            guard let event = try? decoder.decode(Event.self, from: data) else {
                throw .driverFailed(kind: "protocol", message: "The Python driver sent a line this payloadlab cannot read (\(line.prefix(80))); use the driver shipped with this build.")
            }
            if event.event == "error" {
                throw .driverFailed(kind: event.kind ?? "internal", message: event.message ?? String(line))
            }
            do {
                try handle(event.event, data)
            } catch {
                throw .driverFailed(kind: "protocol", message: "The Python driver's \(event.event) line is missing fields (\(line.prefix(80))); use the driver shipped with this build.")
            }
        }
    }
}
