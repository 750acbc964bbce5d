-- Headless check that a real client works: open a contract with an
-- unknown name, wait for `deal lsp` to publish its diagnostic, read it
-- back, and ask for a hover. Prints what it read; exits 1 on failure.
-- Run by test.sh, which sets DEAL_BINARY, DEAL_FILE and DEAL_NVIM_DIR.
vim.g.deal_lsp_cmd = { os.getenv("DEAL_BINARY"), "lsp" }
dofile(os.getenv("DEAL_NVIM_DIR") .. "/deal.lua")

local function fail(message)
  io.stderr:write("neovim test failed: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local function say(line)
  io.stdout:write(line .. "\n")
end

vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("DEAL_FILE")))
local buf = vim.api.nvim_get_current_buf()
if vim.bo[buf].filetype ~= "deal" then
  fail("filetype is " .. vim.bo[buf].filetype)
end
local found = vim.wait(60000, function()
  return #vim.diagnostic.get(buf) > 0
end, 100)
if not found then
  fail("no diagnostics within a minute")
end
local codes = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local first_line = d.message:gsub("\n.*", "")
  say(string.format("diagnostic %d:%d %s %s", d.lnum + 1, d.col + 1, tostring(d.code), first_line))
  table.insert(codes, d.code)
end
if not vim.tbl_contains(codes, "deal::unknown-name") then
  fail("no deal::unknown-name among " .. vim.inspect(codes))
end

-- Hover on the first name of the file (line 1, after `party `).
local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 0, character = 7 } }
local results = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 30000) or {}
local hover = nil
for _, response in pairs(results) do
  if response.result and response.result.contents then
    hover = response.result.contents.value
  end
end
if not hover then
  fail("no hover: " .. vim.inspect(results))
end
say("hover " .. hover:gsub("\n", " | "))
vim.cmd("qall!")
