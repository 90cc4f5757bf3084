-- Inlay hints for Neovim 0.7 to 0.9, which have no native support: the server's hints are shown as
-- virtual text at the end of their line, refreshed after edits and when the server asks.
local M = {}

local ns = vim.api.nvim_create_namespace('clinic_lsp_hints')
local attached = {} -- bufnr -> client id
local generation = {} -- bufnr -> counter, so only the latest request draws

vim.api.nvim_set_hl(0, 'ClinicInlayHint', { default = true, link = 'Comment' })

local function label_text(label)
  if type(label) == 'string' then return label end
  local parts = {}
  for _, part in ipairs(label or {}) do parts[#parts + 1] = part.value end
  return table.concat(parts)
end

-- At the end of the line a hint loses the word it follows, so it is shown after that word: "14 R IOP".
-- The word starts after the last space or the previous hint, whichever is later ("14/16": 14, then 16).
local function byte_col(text, character, encoding)
  if encoding == 'utf-8' then return math.min(character, #text) end
  local ok, col = pcall(vim.str_byteindex, text, character, true)
  if not ok then return #text end
  return col
end

local function draw(bufnr, hints, encoding)
  if not vim.api.nvim_buf_is_valid(bufnr) then return end
  vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
  local by_line = {}
  for _, hint in ipairs(hints or {}) do
    local line = hint.position.line
    by_line[line] = by_line[line] or {}
    table.insert(by_line[line], hint)
  end
  for line, list in pairs(by_line) do
    table.sort(list, function(a, b) return a.position.character < b.position.character end)
    local text = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1] or ''
    local previous = 0
    for i, hint in ipairs(list) do
      local col = byte_col(text, hint.position.character, encoding)
      local word = text:sub(previous + 1, col):match('(%S+)$') or ''
      word = word:gsub('^%p+', '')
      previous = col
      list[i] = (word ~= '' and (word .. ' ') or '') .. vim.trim(label_text(hint.label))
    end
  end
  local last = vim.api.nvim_buf_line_count(bufnr) - 1
  for line, labels in pairs(by_line) do
    if line <= last then
      vim.api.nvim_buf_set_extmark(bufnr, ns, line, 0, {
        virt_text = { { table.concat(labels, ' · '), 'ClinicInlayHint' } },
        virt_text_pos = 'eol',
      })
    end
  end
end

--- Asks the server for the hints of the whole buffer and draws them.
function M.refresh(bufnr)
  local client_id = attached[bufnr]
  if not client_id or not vim.api.nvim_buf_is_loaded(bufnr) then return end
  generation[bufnr] = (generation[bufnr] or 0) + 1
  local mine = generation[bufnr]
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 } },
  }
  local client = vim.lsp.get_client_by_id(client_id)
  if not client then return end
  require('clinic_lsp').request(client, 'textDocument/inlayHint', params, function(err, result)
    if err or generation[bufnr] ~= mine then return end
    draw(bufnr, result, client.offset_encoding)
  end, bufnr)
end

--- Server-to-client requests this fallback answers.
M.handlers = {
  ['workspace/inlayHint/refresh'] = function()
    for bufnr in pairs(attached) do M.refresh(bufnr) end
    return vim.NIL
  end,
}

function M.attach(client, bufnr)
  if attached[bufnr] then return end
  local caps = client.server_capabilities or client.resolved_capabilities or {}
  if not caps.inlayHintProvider then return end
  attached[bufnr] = client.id
  local group = vim.api.nvim_create_augroup('clinic_lsp_hints_' .. bufnr, { clear = true })
  local pending = false
  vim.api.nvim_create_autocmd({ 'TextChanged', 'InsertLeave' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      if pending then return end
      pending = true
      vim.defer_fn(function() pending = false; M.refresh(bufnr) end, 300)
    end,
  })
  vim.api.nvim_create_autocmd('BufWipeout', {
    group = group,
    buffer = bufnr,
    callback = function() attached[bufnr] = nil end,
  })
  M.refresh(bufnr)
end

function M.namespace() return ns end

return M
