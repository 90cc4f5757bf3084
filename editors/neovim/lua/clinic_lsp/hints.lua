-- One summary per finding line for Neovim 0.7 to 0.9, which have no native inlay hints: the server's
-- textDocument/inlayHint results drawn as end-of-line virtual text, drugs first, then acuities, then the
-- rest, dim, after the line's most severe warning, cut with … to fit the window. Redrawn when the server
-- sends workspace/inlayHint/refresh, while typing, and at once where lines are split, joined or deleted.
local M = {}

local ns = vim.api.nvim_create_namespace('clinic_lsp_hints')
local buffers = {} -- bufnr -> { client_id, hints, generation, timer }

local function define_highlights()
  -- Grey, not Comment (bright cyan in 0.7's default colours): the summary must read as secondary.
  vim.api.nvim_set_hl(0, 'ClinicInlayHint', { default = true, ctermfg = 245, fg = '#8a8a8a' })
  vim.api.nvim_set_hl(0, 'ClinicSeparator', { default = true, link = 'ClinicInlayHint' })
end
define_highlights()
vim.api.nvim_create_autocmd('ColorScheme', {
  group = vim.api.nvim_create_augroup('clinic_lsp_hint_colours', { clear = true }),
  callback = define_highlights,
})

local function label_text(label)
  if type(label) == 'string' then return label end
  local parts = {}
  for _, part in ipairs(label or {}) do parts[#parts + 1] = part.value end
  return table.concat(parts)
end

local function byte_col(text, character, encoding)
  if encoding == 'utf-8' then return math.min(character, #text) end
  local ok, col = pcall(vim.str_byteindex, text, character, true)
  if not ok then return #text end
  return col
end

local function rank(hint)
  local field = type(hint.data) == 'table' and hint.data.field or ''
  if type(field) ~= 'string' then return 2 end
  if field:find('^drug') then return 0 end
  if field:find('^acuity') then return 1 end
  return 2
end

-- The words a hint follows: the server names them (data.text); older servers do not, and then it is the
-- word before the hint, after the last space or the previous hint ("14/16": 14, then 16).
local function words(hint, text, previous, encoding)
  local col = byte_col(text, hint.position.character, encoding)
  if type(hint.data) == 'table' and type(hint.data.text) == 'string' then return hint.data.text, col end
  local word = text:sub(previous + 1, col):match('(%S+)$') or ''
  return (word:gsub('^%p+', '')), col
end

-- "Eylea R · 6/9 R logMAR 0.18": each hint after its words; a full-style label ("Right eye IOP: 14
-- mmHg") names its field already. The same words twice ("OU vabysmo") are written once: "vabysmo R L".
local function line_summary(list, text, encoding)
  table.sort(list, function(a, b)
    if a.position.character ~= b.position.character then return a.position.character < b.position.character end
    return rank(a) < rank(b)
  end)
  local previous = 0
  for _, hint in ipairs(list) do
    hint._words, previous = words(hint, text, previous, encoding)
  end
  table.sort(list, function(a, b)
    if rank(a) ~= rank(b) then return rank(a) < rank(b) end
    return a.position.character < b.position.character
  end)
  local items, last_words = {}, nil
  for _, hint in ipairs(list) do
    local label = vim.trim(label_text(hint.label))
    if label:find(': ', 1, true) or hint._words == '' then
      items[#items + 1] = label
    elseif hint._words == last_words then
      items[#items] = items[#items] .. ' ' .. label
    else
      items[#items + 1] = hint._words .. ' ' .. label
    end
    last_words = hint._words
  end
  return table.concat(items, ' · ')
end

-- The line's warnings and errors from this client, most severe first; information is what the hints say.
local function warnings(bufnr, client_id)
  local by_line = {}
  local ok, dns = pcall(vim.lsp.diagnostic.get_namespace, client_id)
  if not ok then return by_line end
  for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = dns, severity = { min = vim.diagnostic.severity.WARN } })) do
    by_line[d.lnum] = by_line[d.lnum] or {}
    table.insert(by_line[d.lnum], d)
  end
  for _, list in pairs(by_line) do
    table.sort(list, function(a, b) return a.severity < b.severity or (a.severity == b.severity and a.col < b.col) end)
  end
  return by_line
end

local severity_hl = { 'DiagnosticVirtualTextError', 'DiagnosticVirtualTextWarn' }
local severity_sign = { 'E', 'W' }

-- Columns left after the text of `line` on its last screen row, in the first window showing the buffer.
local function room(bufnr, text)
  local win = vim.fn.bufwinid(bufnr)
  if win == -1 then return 1000 end
  local info = vim.fn.getwininfo(win)[1] or {}
  local width = vim.api.nvim_win_get_width(win) - (info.textoff or 0)
  if width <= 0 then return 0 end
  local used = vim.fn.strdisplaywidth(text)
  if used > 0 and vim.wo[win].wrap then used = (used - 1) % width + 1 end
  return width - used - 2 -- the space Neovim leaves before end-of-line text, and the last column
end

-- Cuts chunks { {text, hl}, ... } to `width` display cells, ending in … where something was cut.
local function fit(chunks, width)
  local out, used = {}, 0
  for _, chunk in ipairs(chunks) do
    local w = vim.fn.strdisplaywidth(chunk[1])
    if used + w <= width then
      out[#out + 1] = chunk
      used = used + w
    else
      local keep = width - used - 1
      local text = chunk[1]
      while keep >= 0 and vim.fn.strdisplaywidth(text) > keep do
        text = vim.fn.strcharpart(text, 0, vim.fn.strchars(text) - 1)
      end
      if keep >= 0 then out[#out + 1] = { (text:gsub('%s+$', '')) .. '…', chunk[2] } end
      return out
    end
  end
  return out
end

function M.render(bufnr)
  local state = buffers[bufnr]
  if not state or not vim.api.nvim_buf_is_valid(bufnr) then return end
  vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
  local client = vim.lsp.get_client_by_id(state.client_id)
  local encoding = client and client.offset_encoding or 'utf-16'
  local by_line = {}
  for _, hint in ipairs(state.hints or {}) do
    local line = hint.position.line
    by_line[line] = by_line[line] or {}
    table.insert(by_line[line], vim.deepcopy(hint))
  end
  local warned = warnings(bufnr, state.client_id)
  for line in pairs(warned) do
    if state.warnings_from and line >= state.warnings_from then warned[line] = nil end
  end
  for line in pairs(warned) do by_line[line] = by_line[line] or {} end
  local last = vim.api.nvim_buf_line_count(bufnr) - 1
  for line, list in pairs(by_line) do
    if line <= last then
      local text = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1] or ''
      local chunks = {}
      local worst = warned[line] and warned[line][1]
      if worst then
        local more = #warned[line] > 1 and string.format(' (+%d)', #warned[line] - 1) or ''
        chunks[#chunks + 1] = { severity_sign[worst.severity] .. ' ' .. worst.message:gsub('\n.*', '') .. more,
          severity_hl[worst.severity] }
      end
      local summary = line_summary(list, text, encoding)
      if summary ~= '' then
        if worst then chunks[#chunks + 1] = { ' │ ', 'ClinicSeparator' } end
        chunks[#chunks + 1] = { summary, 'ClinicInlayHint' }
      end
      if #chunks > 0 then chunks[1] = { ' ' .. chunks[1][1], chunks[1][2] } end
      chunks = fit(chunks, room(bufnr, text))
      if #chunks > 0 then
        vim.api.nvim_buf_set_extmark(bufnr, ns, line, 0, { virt_text = chunks, virt_text_pos = 'eol' })
      end
    end
  end
end

--- Asks the server for the hints of the whole buffer and draws them.
function M.refresh(bufnr)
  local state = buffers[bufnr]
  if not state or not vim.api.nvim_buf_is_loaded(bufnr) then return end
  local client = vim.lsp.get_client_by_id(state.client_id)
  if not client then return end
  local mine = state.generation
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } },
  }
  require('clinic_lsp').request(client, 'textDocument/inlayHint', params, function(err, result)
    if err or not buffers[bufnr] then return end
    -- Lines were added or removed since the request: these hints would sit on the wrong lines.
    if buffers[bufnr].generation ~= mine then return M.schedule(bufnr) end
    buffers[bufnr].hints = result or {}
    M.render(bufnr)
  end, bufnr)
end

--- Refreshes shortly after the last of a burst of edits.
function M.schedule(bufnr, delay)
  local state = buffers[bufnr]
  if not state then return end
  state.timer:stop()
  state.timer:start(delay or 50, 0, vim.schedule_wrap(function() M.refresh(bufnr) end))
end

--- Server-to-client requests this fallback answers.
M.handlers = {
  ['workspace/inlayHint/refresh'] = function()
    for bufnr in pairs(buffers) do M.refresh(bufnr) end
    return vim.NIL
  end,
}

function M.attach(client, bufnr)
  if buffers[bufnr] then return end
  local caps = client.server_capabilities or client.resolved_capabilities or {}
  if not caps.inlayHintProvider then return end
  buffers[bufnr] = { client_id = client.id, hints = {}, generation = 0, timer = vim.loop.new_timer() }
  vim.api.nvim_buf_attach(bufnr, false, {
    on_lines = function(_, _, _, first, last, new_last)
      local state = buffers[bufnr]
      if not state then return true end
      if last ~= new_last then
        -- A split, join or deleted line: the hints of the replaced lines go, those below move with
        -- their text, and warnings below `first` wait for the server's next diagnostics.
        state.generation = state.generation + 1
        local kept = {}
        for _, hint in ipairs(state.hints) do
          local line = hint.position.line
          if line >= last then hint.position.line = line + new_last - last end
          if line < first or line >= last then kept[#kept + 1] = hint end
        end
        state.hints = kept
        state.warnings_from = math.min(state.warnings_from or first, first)
        vim.schedule(function() M.render(bufnr) end)
      end
      M.schedule(bufnr)
    end,
    on_detach = function() buffers[bufnr] = nil end,
  })
  local group = vim.api.nvim_create_augroup('clinic_lsp_hints_' .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd('DiagnosticChanged', {
    group = group, buffer = bufnr,
    callback = function()
      if buffers[bufnr] then buffers[bufnr].warnings_from = nil end
      M.render(bufnr)
    end,
  })
  vim.api.nvim_create_autocmd({ 'VimResized', 'WinScrolled', 'BufWinEnter' }, {
    group = group, callback = function() M.render(bufnr) end,
  })
  vim.api.nvim_create_autocmd('BufWipeout', {
    group = group, buffer = bufnr,
    callback = function()
      if buffers[bufnr] then buffers[bufnr].timer:close() end
      buffers[bufnr] = nil
    end,
  })
  M.refresh(bufnr)
end

function M.namespace() return ns end

return M
