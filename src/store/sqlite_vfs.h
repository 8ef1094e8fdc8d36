#pragma once
// SQLite's default VFS with one change: a database file's pages are read through one memory mapping shared by
// every connection of the process, kept for as long as any of them has the file open.
//
// Why: SQLite's own VFS maps the file once per connection and drops that mapping whenever the connection sees
// that another one has committed (WAL mode). Each connection then meets every page again through a page fault
// (about 30 us each on a virtual machine): with ~60 pooled connections, a cold count of 2M permits took 0.5 s
// where a warm one takes 0.05 s, and every write made the readers cold again. It also caps the mapping at the
// build's limit (2 GiB on Debian), so pages past it were copied into each connection's small page cache.
//
// Reads through the shared mapping see what SQLite's mapping sees: both are MAP_SHARED views of the file, and
// SQLite asks for a page through it only when the page is not in the WAL and lies inside the database.
namespace huoyan::store {

// Registers the VFS as the process's default. Once, before the first connection opens; later calls do nothing.
void install_shared_map_vfs();

}  // namespace huoyan::store
