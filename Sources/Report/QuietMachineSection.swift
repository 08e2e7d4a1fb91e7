import Payload
import Results
import Units
/// What the report says about other processes: the header line on how much of the sweep ran on a quiet machine,
/// and the marker that names a disturbed point in every table and chart. Pure: values in, text out.
enum QuietMachineSection {
    /// Put after a disturbed point's pool label or figure.
    static let marker = "†"

    /// `" †"` for a disturbed point, else nothing.
    static func mark(_ point: PointResult?) -> String {
        point?.isDisturbed == true ? " \(marker)" : ""
    }

    /// One short line for a footnote under a table that carries the marker.
    static let footnote = "\(marker) disturbed: other processes kept more than \(Formatting.significant(OtherCPUUse.disturbedThresholdCPUs, digits: 2)) CPUs busy on average while the point was measured, even after re-measuring; its figures understate this machine.\n\n"

    /// The header's account of the sweep's quiet; empty for results without the measurement (written before it
    /// existed, or CPython's points only).
    static func header(_ result: SweepResult) -> String {
        let quiet = result.quietness
        guard quiet.measured > 0 else { return "" }
        let threshold = Formatting.significant(OtherCPUUse.disturbedThresholdCPUs, digits: 2)
        var out = "> "
        let disturbed = result.points.filter { $0.succeeded && $0.isDisturbed }
        let names = disturbed.map {
            "\($0.pool.label) \($0.shape.rawValue) \(Formatting.sizeLabel($0.sizeBytes)) (\(Formatting.significant($0.otherCPU?.averageCPUs ?? 0, digits: 2)) CPUs)"
        }
        let remeasuredQuiet = quiet.remeasured - result.points.filter {
            $0.succeeded && $0.isDisturbed && $0.otherCPU?.firstAttemptCPUs != nil
        }.count
        if quiet.disturbed == 0 {
            out += "**\(quiet.measured == 1 ? "The one measured point" : "All \(quiet.measured) points") ran on a quiet machine** (other processes kept at most \(threshold) CPUs busy on average)"
            out += quiet.remeasured > 0 ? "; \(quiet.remeasured) \(quiet.remeasured == 1 ? "was" : "were") disturbed at first and re-measured quiet.\n" : ".\n"
        } else if quiet.mostlyDisturbed {
            out += "**Busy machine: only \(quiet.quiet) of \(quiet.measured) points ran on a quiet machine**; \(quiet.disturbed) \(quiet.disturbed == 1 ? "was" : "were") disturbed (other processes kept more than \(threshold) CPUs busy on average)"
            out += quiet.remeasured > 0 ? ", \(remeasuredQuiet) more only until re-measured. " : ". "
            out += "The model is fitted to all of them, so it describes this busy machine, not a quiet one. Disturbed points are marked \(marker): \(names.joined(separator: ", ")).\n"
        } else {
            out += "**\(quiet.quiet) of \(quiet.measured) points ran on a quiet machine**; \(quiet.disturbed) \(quiet.disturbed == 1 ? "was" : "were") disturbed (other processes kept more than \(threshold) CPUs busy on average)"
            out += quiet.remeasured > 0 ? " even after re-measuring" : ""
            out += ": \(names.joined(separator: ", ")). \(quiet.disturbed == 1 ? "It is" : "They are") marked \(marker) in the tables and charts and left out of the model's fit."
            out += remeasuredQuiet > 0 ? " \(remeasuredQuiet) more \(remeasuredQuiet == 1 ? "was" : "were") disturbed at first and re-measured quiet.\n" : "\n"
        }
        if quiet.unmeasured > 0 {
            out += ">\n> \(quiet.unmeasured) point\(quiet.unmeasured == 1 ? " is" : "s are") not counted: other processes' CPU use was not measured for \(quiet.unmeasured == 1 ? "it" : "them") (CPython's points are not).\n"
        }
        return out + "\n"
    }
}
