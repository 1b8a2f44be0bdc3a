extension StudyVocabulary {
    /// The real vocabulary: every scheme through `QuantSchemeParser`, every mitigation through
    /// `MitigationSpecParser` (a name or key the analysis cannot run fails when the study loads).
    public static let parsers = StudyVocabulary(
        checkScheme: { spec in
            do { _ = try QuantSchemeParser.parse(spec); return nil } catch let error as QuantSchemeError { return error.expected } catch { return "\(error)" }
        },
        checkMitigation: { spec in
            do { _ = try MitigationSpecParser.parse(spec); return nil } catch let error as MitigationError { return "\(error.field): \(error.expected)" } catch { return "\(error)" }
        })
}
