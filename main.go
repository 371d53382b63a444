// Command parvis is the Parvis server and its administration command line.
package main

import (
	"os"

	"parvis/server"
)

func main() {
	os.Exit(server.Main(server.Env{Args: os.Args[1:], Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
}
