-- Headless Neovim (0.7+) as an LSP client of the Arc Logs server: open a log, collect the diagnostics it publishes,
-- hover the finding's code, then apply each of its code actions through Neovim's own code-action path
-- (vim.lsp.buf.code_action with vim.ui.select answered by the probe) and record what the server asked the editor to
-- do (window/showDocument, window/showMessage). Prints one JSON object on stdout.
-- Env: LSP_CMD, LSP_FILE, LSP_CODE (the finding to work on), LSP_TIMEOUT_MS.
--
-- window/showDocument: Neovim >= 0.8 handles it itself; 0.7 (Debian 12) neither declares nor handles it, so the
-- probe adds the same handler 0.8 has (jump to the document and selection; an external URL is recorded instead of
-- handing it to a browser).
local server_cmd = vim.split(os.getenv('LSP_CMD') or 'node server/out/server.js --stdio', ' ')
local file = assert(os.getenv('LSP_FILE'), 'LSP_FILE not set')
local wanted_code = os.getenv('LSP_CODE')
local timeout_ms = tonumber(os.getenv('LSP_TIMEOUT_MS') or '10000')

local function out(tbl) io.stdout:write(vim.fn.json_encode(tbl), '\n') end
local function fail(msg) out({ error = msg }); vim.cmd('cquit 1') end

local function main()
  local published = nil
  local shown_documents, messages = {}, {}
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.window = capabilities.window or {}
  capabilities.window.showDocument = { support = true }

  local client_id = vim.lsp.start_client({
    name = 'arc-logs',
    cmd = server_cmd,
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    capabilities = capabilities,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        published = result
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
      ['window/showDocument'] = function(_, result, ctx)
        table.insert(shown_documents, result)
        if result.external then return { success = true } end
        local client = vim.lsp.get_client_by_id(ctx.client_id)
        local range = result.selection or { start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 0 } }
        local ok = vim.lsp.util.jump_to_location({ uri = result.uri, range = range }, client and client.offset_encoding or 'utf-16')
        return { success = ok and true or false }
      end,
      ['window/showMessage'] = function(err, result, ctx, config)
        table.insert(messages, result)
        return vim.lsp.handlers['window/showMessage'](err, result, ctx, config)
      end,
    },
  })
  if not client_id then return fail('could not start ' .. table.concat(server_cmd, ' ')) end

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'log'
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  if not vim.wait(timeout_ms, function() return published ~= nil end, 20) then
    return fail('no publishDiagnostics within ' .. timeout_ms .. ' ms')
  end
  local target = nil
  for _, d in ipairs(published.diagnostics) do
    if d.code == wanted_code then target = d; break end
  end
  if not target then return fail('no diagnostic ' .. tostring(wanted_code)) end

  local uri = vim.uri_from_bufnr(bufnr)
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = uri }, position = target.range.start,
  }, timeout_ms)
  local hover_result = hover and hover[client_id] and hover[client_id].result or vim.NIL

  local listed = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri }, range = target.range, context = { diagnostics = { target } },
  }, timeout_ms)
  local actions = listed and listed[client_id] and listed[client_id].result or {}

  -- Apply each action as a user would pick it from the code action menu.
  local applied = {}
  for _, action in ipairs(actions) do
    local before_docs, before_msgs = #shown_documents, #messages
    vim.api.nvim_win_set_cursor(0, { target.range.start.line + 1, target.range.start.character })
    local picked = nil
    vim.ui.select = function(items, opts, on_choice)
      for i, item in ipairs(items) do
        if item[2].title == action.title then picked = item[2].title; return on_choice(item, i) end
      end
      on_choice(nil, nil)
    end
    vim.lsp.buf.code_action({ diagnostics = { target } })
    local done = vim.wait(timeout_ms, function() return #shown_documents > before_docs or #messages > before_msgs end, 20)
    table.insert(applied, {
      title = action.title,
      command = action.command and action.command.command or vim.NIL,
      picked = picked or vim.NIL,
      done = done,
      show_document = shown_documents[before_docs + 1] or vim.NIL,
      message = messages[before_msgs + 1] or vim.NIL,
    })
  end

  -- Go to a failure from elsewhere in the log (the command the code lens runs in VS Code, here as an LSP command).
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  local before_docs = #shown_documents
  vim.lsp.buf.execute_command({ command = 'arcLogs.server.goToFailure', arguments = { uri, target.range.start.line, target.range.start.character } })
  vim.wait(timeout_ms, function() return #shown_documents > before_docs end, 20)
  local cursor = vim.api.nvim_win_get_cursor(0)

  out({
    client = 'neovim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch),
    execute_commands = client.server_capabilities and client.server_capabilities.executeCommandProvider or (client.resolved_capabilities and client.resolved_capabilities.execute_command) or vim.NIL,
    diagnostics = published.diagnostics,
    editor_diagnostics = vim.tbl_map(function(d) return { lnum = d.lnum, col = d.col, severity = d.severity, message = d.message, source = d.source } end, vim.diagnostic.get(bufnr)),
    target = target,
    hover = hover_result,
    actions = applied,
    go_to_failure = { show_document = shown_documents[before_docs + 1] or vim.NIL, cursor = { line = cursor[1] - 1, character = cursor[2] } },
  })
  vim.lsp.stop_client(client_id)
end

local ok, err = pcall(main)
if not ok then fail(tostring(err)) end
vim.cmd('qall!')
