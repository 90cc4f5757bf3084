-- clinic-lsp for Neovim's built-in LSP client (Neovim 0.7 and later).
--
--   require('clinic_lsp').setup({ cmd = { '/path/to/clinic-lsp' }, settings = { clinic = { ... } } })
--
-- Starts the server for `clinic` buffers (and any other filetypes listed), turns inlay hints on
-- (natively from 0.10, as end-of-line virtual text before that) and maps hover and the summary actions.
local M = {}

M.summary_title = 'Insert structured summary'
-- The server names the count: "Insert summaries for all 3 notes"; titles match by prefix.
M.all_summaries_title = 'Insert summaries for all'

M.defaults = {
  cmd = { 'clinic-lsp' },
  -- Filetypes whose buffers the server reads; add 'text' and 'markdown' to read notes kept there.
  filetypes = { 'clinic' },
  -- Sent as initializationOptions and in workspace/didChangeConfiguration; see editors/README.md.
  settings = { clinic = vim.empty_dict() },
  inlay_hints = true,
  -- Buffer-local mappings; set one to false to leave it unmapped, or keymaps = false for none.
  keymaps = {
    hover = 'K',
    summary = '<localleader>s',
    all_summaries = '<localleader>S',
    code_action = '<localleader>a',
    diagnostic = '<localleader>d',
  },
  on_attach = nil,
}

local has = function(feature) return vim.fn.has(feature) == 1 end

-- `client.notify(...)` became `client:notify(...)` in 0.11.
local function notify(client, method, params)
  if has('nvim-0.11') then return client:notify(method, params) end
  return client.notify(method, params)
end

-- Likewise `client.request(...)`; asking the client itself keeps other servers of the buffer out of it.
function M.request(client, method, params, handler, bufnr)
  if has('nvim-0.11') then return client:request(method, params, handler, bufnr) end
  return client.request(method, params, handler, bufnr)
end

local function root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  local git = vim.fn.finddir('.git', dir .. ';')
  if git ~= '' then return vim.fn.fnamemodify(git, ':p:h:h') end
  return dir
end

local function clients(bufnr)
  if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = bufnr }) end
  if has('nvim-0.8') then return vim.lsp.get_active_clients({ bufnr = bufnr }) end
  return vim.lsp.buf_get_clients(bufnr)
end

local function client_for(bufnr)
  for _, client in pairs(clients(bufnr)) do
    if client.name == 'clinic-lsp' then return client end
  end
end

--- Runs the server's code action called `title` for the cursor position of `bufnr`.
function M.run_code_action(title, bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = client_for(bufnr)
  if not client then
    vim.notify('clinic-lsp is not running in this buffer', vim.log.levels.WARN)
    return
  end
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = {} }
  M.request(client, 'textDocument/codeAction', params, function(err, actions)
    if err then
      vim.notify('clinic-lsp: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    for _, action in ipairs(actions or {}) do
      if (action.title or ''):sub(1, #title) == title then
        if action.edit then vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding) end
        local command = type(action.command) == 'table' and action.command or nil
        if command then
          M.request(client, 'workspace/executeCommand',
            { command = command.command, arguments = command.arguments }, function() end, bufnr)
        end
        return
      end
    end
    vim.notify('clinic-lsp offers no "' .. title .. '" here', vim.log.levels.WARN)
  end, bufnr)
end

function M.insert_summary(bufnr) M.run_code_action(M.summary_title, bufnr) end
function M.insert_all_summaries(bufnr) M.run_code_action(M.all_summaries_title, bufnr) end

local function map_keys(bufnr, keymaps)
  if not keymaps then return end
  local actions = {
    hover = { vim.lsp.buf.hover, 'clinic-lsp: findings of this note' },
    summary = { function() M.insert_summary(bufnr) end, 'clinic-lsp: ' .. M.summary_title },
    all_summaries = { function() M.insert_all_summaries(bufnr) end, 'clinic-lsp: Insert summaries for all notes' },
    code_action = { vim.lsp.buf.code_action, 'clinic-lsp: code actions' },
    diagnostic = { vim.diagnostic.open_float, 'clinic-lsp: findings on this line' },
  }
  for name, lhs in pairs(keymaps) do
    if lhs and actions[name] then
      vim.keymap.set('n', lhs, actions[name][1], { buffer = bufnr, desc = actions[name][2] })
    end
  end
end

local function enable_inlay_hints(client, bufnr)
  if has('nvim-0.10') and vim.lsp.inlay_hint then
    vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
  else
    require('clinic_lsp.hints').attach(client, bufnr)
  end
end

-- Diagnostics of this client only: shown while typing, most severe first, and (before 0.10, where
-- clinic_lsp.hints draws each line's summary with its warning) without Neovim's own end-of-line text,
-- which on 0.7 shows one message per line, the last. A fixed sign column keeps the text still.
local function configure_display(client, bufnr)
  local ok, dns = pcall(vim.lsp.diagnostic.get_namespace, client.id)
  if ok then
    local own_text = has('nvim-0.10') and { severity = { min = vim.diagnostic.severity.WARN } } or false
    vim.diagnostic.config({ update_in_insert = true, severity_sort = true, virtual_text = own_text }, dns)
  end
  local function fix_signs()
    for _, win in ipairs(vim.fn.win_findbuf(bufnr)) do vim.wo[win].signcolumn = 'yes' end
  end
  fix_signs()
  vim.api.nvim_create_autocmd('BufWinEnter', {
    group = vim.api.nvim_create_augroup('clinic_lsp_signs_' .. bufnr, { clear = true }),
    buffer = bufnr, callback = fix_signs,
  })
end

--- The client configuration `setup` starts; also usable with vim.lsp.start directly.
function M.client_config(opts, bufnr)
  opts = opts or M.options or M.defaults
  -- An empty Lua table would be sent as [], the server wants an object.
  local clinic = opts.settings.clinic or {}
  if vim.tbl_isempty(clinic) then clinic = vim.empty_dict() end
  local settings = vim.tbl_extend('force', opts.settings, { clinic = clinic })
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  if not has('nvim-0.10') then
    capabilities.textDocument.inlayHint = { dynamicRegistration = false }
    capabilities.workspace.inlayHint = { refreshSupport = true }
  end
  return {
    name = 'clinic-lsp',
    cmd = opts.cmd,
    root_dir = root_dir(bufnr or 0),
    capabilities = capabilities,
    init_options = clinic,
    settings = settings,
    handlers = not has('nvim-0.10') and require('clinic_lsp.hints').handlers or nil,
    -- Neovim sends the settings itself after initialising from 0.9 (0.8 at the latest); 0.7 does not.
    on_init = not has('nvim-0.9') and function(client)
      notify(client, 'workspace/didChangeConfiguration', { settings = settings })
    end or nil,
    on_attach = function(client, attached)
      configure_display(client, attached)
      if opts.inlay_hints then enable_inlay_hints(client, attached) end
      map_keys(attached, opts.keymaps)
      if opts.on_attach then opts.on_attach(client, attached) end
    end,
  }
end

-- Neovim 0.7 has no vim.lsp.start: reuse one client per root directory by hand.
local clients_by_root = {}

function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local config = M.client_config(M.options, bufnr)
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients_by_root[config.root_dir]
  if not id or not vim.lsp.get_client_by_id(id) or vim.lsp.get_client_by_id(id).is_stopped() then
    id = vim.lsp.start_client(config)
    if not id then return end
    clients_by_root[config.root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Changes server settings at run time, e.g. update_settings({ hintStyle = 'full' }): merges them into
--- settings.clinic and sends them to every running clinic-lsp.
function M.update_settings(clinic)
  M.options = M.options or vim.deepcopy(M.defaults)
  M.options.settings.clinic = vim.tbl_deep_extend('force', M.options.settings.clinic or {}, clinic or {})
  local settings = { clinic = vim.tbl_isempty(M.options.settings.clinic) and vim.empty_dict() or M.options.settings.clinic }
  local all = vim.lsp.get_clients and vim.lsp.get_clients({ name = 'clinic-lsp' }) or vim.lsp.get_active_clients()
  for _, client in pairs(all) do
    if client.name == 'clinic-lsp' then
      client.config.settings = settings
      notify(client, 'workspace/didChangeConfiguration', { settings = settings })
    end
  end
end

local function merge(defaults, opts)
  local merged = vim.tbl_deep_extend('force', defaults, opts or {})
  -- Lists replace, never merge element-wise.
  if opts and opts.filetypes then merged.filetypes = opts.filetypes end
  if opts and opts.cmd then merged.cmd = opts.cmd end
  if opts and opts.keymaps == false then merged.keymaps = false end
  return merged
end

function M.setup(opts)
  M.options = merge(M.defaults, opts)
  local group = vim.api.nvim_create_augroup('clinic_lsp', { clear = true })
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group, pattern = '*.clinic', command = 'setfiletype clinic',
  })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.options.filetypes,
    callback = function(args) M.attach(args.buf) end,
  })
  -- Buffers that were already open when setup ran.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.options.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr)
    end
  end
end

return M
