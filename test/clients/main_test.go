package clients

import (
	"testing"

	"parvis/test/harness"
)

func TestMain(m *testing.M) { harness.Main(m) }

// The accounts and the server come from the shared harness.
const (
	alice         = harness.Alice
	alicePassword = harness.AlicePassword
	bob           = harness.Bob
	bobPassword   = harness.BobPassword
)

var passwords = harness.Passwords

// server is the harness' server, extended with this package's request helpers.
type server struct{ *harness.Server }

func startServer(t *testing.T) *server { return &server{harness.Start(t)} }

func tail(s string, n int) string { return harness.Tail(s, n) }
