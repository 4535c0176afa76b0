// Command zhifa runs the integrated administrative law-enforcement platform. See `zhifa help`.
package main

import (
	"os"

	"zhifa/app"
)

func main() {
	os.Exit(app.Main(os.Args[1:], os.Stdout, os.Stderr))
}
