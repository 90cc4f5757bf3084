/// Every plugin, by id, in the order they run: field plugins first, then checks (which read the
/// findings of the plugins before them). This list is the one place a plugin is registered.
public enum PluginRegistry {
    public static let all: [PluginDescriptor] = [
        DrugPlugin.descriptor,
        AcuityPlugin.descriptor,
        ConfiguredQuestionsPlugin.descriptor,
        IOPPlugin.descriptor,
        ReviewPlugin.descriptor,
        ConfiguredPatternsPlugin.descriptor,
        DrugWithoutEyeCheck.descriptor,
        UnknownDrugCheck.descriptor,
        ImplausibleAcuityCheck.descriptor,
        LowConfidenceCheck.descriptor,
        AcuityDropCheck.descriptor,
    ]

    public static func descriptor(_ id: String) -> PluginDescriptor? { all.first { $0.id == id } }

    /// The enabled plugins for a configuration, in registry order.
    public static func plugins(for configuration: ClinicConfiguration) -> [any ClinicPlugin] {
        all.compactMap { d in
            let settings = configuration.settings(for: d)
            return settings.enabled ? d.make(settings, configuration) : nil
        }
    }
}
