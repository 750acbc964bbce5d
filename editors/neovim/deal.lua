-- deal for Neovim's built-in LSP client (0.7 or later). Put this file in
-- ~/.config/nvim/plugin/ (or `dofile` it from init.lua); `deal` must be on
-- PATH, or set vim.g.deal_lsp_cmd = { "/path/to/deal", "lsp" } first.
-- Filetype detection through an autocommand: `vim.filetype.add` is
-- opt-in on 0.7.
vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
  pattern = "*.deal",
  callback = function(args)
    vim.bo[args.buf].filetype = "deal"
  end,
})

local client_id = nil

vim.api.nvim_create_autocmd("FileType", {
  pattern = "deal",
  callback = function(args)
    vim.bo[args.buf].commentstring = "// %s"
    local config = {
      name = "deal",
      cmd = vim.g.deal_lsp_cmd or { "deal", "lsp" },
      root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ":p:h"),
    }
    if vim.lsp.start then
      vim.lsp.start(config) -- 0.8 and later: one client, reused
    else
      client_id = client_id or vim.lsp.start_client(config)
      vim.lsp.buf_attach_client(args.buf, client_id)
    end
  end,
})
