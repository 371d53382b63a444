// Package clients holds end-to-end tests that drive real WebDAV clients
// shipped by Debian (litmus, rclone, cadaver) against a running parvis
// server.
//
// Unit tests elsewhere check the handlers from the inside; these tests
// check what an association's members will actually live with: the
// interoperability of the server with the clients they use to mount and
// sync their group folders.
//
// The parvis binary is built once per `go test` run (see TestMain) and
// every test starts its own server on a free loopback port with a fresh
// data directory, so tests are independent and run in parallel.
//
// The clients must be installed: `bash scripts/test-deps.sh` does it.
// A missing client is a test failure, never a skip, so that a green run
// always means the clients really ran.
//
// Set PARVIS_TEST_BIN to the path of an already built parvis binary to
// test that binary instead of building one.
package clients
