public enum ServerInfo {
    public static let name = "clinic-lsp"
    public static let version = "0.1.0"
}
