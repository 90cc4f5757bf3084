-- Newer nvim-lspconfig looks here; the entry itself lives in server_configurations/.
return require('lspconfig.server_configurations.clinic_lsp')
