-- Drives editors/neovim/init.lua in a headless Neovim as a clinician would: the note is open, findings
-- appear as diagnostics and hints, K shows the hover, \s and \S insert summaries.
-- Run by test-neovim; CLINIC_TEST_MODEL is 1 when the trained model is there.
local model = vim.env.CLINIC_TEST_MODEL == '1'
local failures = 0
local function say(line) io.stdout:write(line .. '\n') end
local function check(ok, what, got)
  if ok then say('ok - ' .. what) return end
  failures = failures + 1
  say('not ok - ' .. what .. (got ~= nil and ('\n    got: ' .. vim.inspect(got)) or ''))
end
local function finish()
  vim.cmd(failures == 0 and 'qall!' or 'cquit! 1')
end
local function press(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), 'x', false)
end
local function goto_text(line, text) -- 1-based line
  local col = vim.fn.getline(line):find(text, 1, true)
  vim.api.nvim_win_set_cursor(0, { line, (col or 1) - 1 })
end

local function diagnostics()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
    out[#out + 1] = { line = d.lnum + 1, text = string.format('%s [%s] %s', d.source or '?', code, d.message) }
  end
  table.sort(out, function(a, b) return a.line < b.line or (a.line == b.line and a.text < b.text) end)
  return out
end
local function diagnostic_on(line, pattern)
  for _, d in ipairs(diagnostics()) do
    if d.line == line and d.text:lower():find(pattern) then return true end
  end
  return false
end

local ok, err = pcall(function()
  check(vim.bo.filetype == 'clinic', '*.clinic opens with filetype clinic', vim.bo.filetype)
  local client
  vim.wait(10000, function()
    local list = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = 0 }) or vim.lsp.buf_get_clients(0)
    for _, c in pairs(list) do if c.name == 'clinic-lsp' then client = c end end
    return client ~= nil and client.initialized ~= false
  end, 20)
  check(client ~= nil, 'clinic-lsp attached to the buffer')
  if not client then return end

  vim.wait(20000, function() return diagnostic_on(2, 'review') end, 50)
  say('diagnostics:')
  for _, d in ipairs(diagnostics()) do say(string.format('  line %d: %s', d.line, d.text)) end
  check(diagnostic_on(2, 'iop%.right.*14'), 'right IOP 14 reported on line 2', diagnostics())
  check(diagnostic_on(2, 'iop%.left.*16'), 'left IOP 16 reported on line 2')
  check(diagnostic_on(2, 'review.*4 weeks'), 'review in 4 weeks reported on line 2')
  check(diagnostic_on(2, '^clinic%-lsp '), 'diagnostics come from clinic-lsp')
  if model then
    check(diagnostic_on(1, 'drug%.right.*eylea.*aflibercept'), 'right eye drug Eylea (aflibercept) on line 1')
    check(diagnostic_on(1, 'acuity%.right.*6/9'), 'right acuity 6/9 on line 1')
    check(diagnostic_on(1, 'acuity%.left.*6/12'), 'left acuity 6/12 on line 1')
  else
    say('skipped (no model): drug and acuity diagnostics, hover and summary drug checks')
  end

  -- Inlay hints: native from 0.10, end-of-line virtual text before.
  local function hint_lines()
    local lines = {}
    if vim.lsp.inlay_hint and vim.lsp.inlay_hint.get then
      for _, h in ipairs(vim.lsp.inlay_hint.get({ bufnr = 0 })) do lines[h.inlay_hint.position.line + 1] = true end
    else
      local ns = require('clinic_lsp.hints').namespace()
      for _, m in ipairs(vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, {})) do lines[m[2] + 1] = true end
    end
    return lines
  end
  local function hint_text()
    local out = {}
    if vim.lsp.inlay_hint and vim.lsp.inlay_hint.get then
      for _, h in ipairs(vim.lsp.inlay_hint.get({ bufnr = 0 })) do
        local label = h.inlay_hint.label
        if type(label) ~= 'string' then
          local parts = {}
          for _, part in ipairs(label) do parts[#parts + 1] = part.value end
          label = table.concat(parts)
        end
        out[#out + 1] = label
      end
    else
      local ns = require('clinic_lsp.hints').namespace()
      for _, m in ipairs(vim.api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true })) do
        for _, chunk in ipairs(m[4].virt_text or {}) do out[#out + 1] = chunk[1] end
      end
    end
    return table.concat(out, ' | ')
  end
  vim.wait(10000, function() return hint_lines()[2] end, 50)
  say('inlay hints: ' .. hint_text())
  check(hint_lines()[2], 'inlay hints shown on the IOP line', hint_lines())

  goto_text(1, 'Eylea')
  press('K')
  local hover
  vim.wait(10000, function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        hover = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), '\n')
        return true
      end
    end
  end, 50)
  say('hover (K):\n' .. tostring(hover))
  check(hover and hover:find('IOP') and hover:find('14'), 'K shows the note\'s IOP', hover)
  if model then check(hover and hover:find('aflibercept'), 'K shows the drug', hover) end
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then vim.api.nvim_win_close(win, true) end
  end

  local before = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  goto_text(1, 'VA')
  press('\\s')
  vim.wait(10000, function() return vim.api.nvim_buf_line_count(0) > #before end, 50)
  local after = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  say('after \\s (Insert structured summary):\n  ' .. table.concat(after, '\n  '))
  check(#after > #before, '\\s inserted the summary')
  check(after[1] == before[1] and after[2] == before[2], 'the clinician\'s lines are unchanged')
  local inserted = table.concat(vim.list_slice(after, 3, 2 + #after - #before), '\n')
  check(inserted:find('14'), 'the summary carries the note\'s IOP', inserted)
  if model then check(inserted:find('aflibercept') or inserted:find('Eylea'), 'the summary names the drug', inserted) end

  before = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  press('\\S')
  vim.wait(10000, function() return vim.api.nvim_buf_line_count(0) > #before end, 50)
  after = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  say('after \\S (Insert summaries for all notes):\n  ' .. table.concat(after, '\n  '))
  local second = 0
  for i, l in ipairs(after) do if l:find('IOP 15/17', 1, true) then second = i end end
  local below = after[second + 1] or ''
  check(#after > #before and below:find('17') and not below:find('IOP 15/17', 1, true),
    '\\S inserted a summary under the second note (the first has one already)', below)

  if model then
    -- The inserted summaries must not change what the note says: summary lines are not clinical text.
    vim.wait(3000, function() return false end, 50)
    local first_note_drug_left = false
    for line = 1, 4 do first_note_drug_left = first_note_drug_left or diagnostic_on(line, 'drug%.left') end
    check(not first_note_drug_left and diagnostic_on(1, 'drug%.right.*eylea'),
      'after the summaries the first note still has Eylea in the right eye and nothing in the left', diagnostics())
  end

  -- Settings changed at run time reach the server: full hints name the field.
  require('clinic_lsp').update_settings({ hintStyle = 'full' })
  vim.wait(10000, function() return hint_text():find('Right eye IOP', 1, true) ~= nil end, 50)
  say('inlay hints with hintStyle = full: ' .. hint_text())
  check(hint_text():find('Right eye IOP: 14 mmHg', 1, true), 'update_settings({ hintStyle = "full" }) changes the hints', hint_text())

  -- The shipped init.lua also reads notes kept in Markdown files.
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ':h') .. '/notes.md'))
  vim.wait(20000, function() return diagnostic_on(3, 'review') end, 50)
  check(vim.bo.filetype == 'markdown' and diagnostic_on(3, 'iop%.left.*21') and diagnostic_on(3, 'review.*6 weeks'),
    'a note in a Markdown file gets its findings too', diagnostics())
end)
if not ok then check(false, 'test script ran', err) end
vim.lsp.stop_client(vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients())
finish()
