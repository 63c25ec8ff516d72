// Package crd ships Momentum's CustomResourceDefinitions, as generated into
// bases/ by `make manifests`, inside the binaries that need them (the
// kubectl plugin's offline lint). Embedding the generated files themselves
// means the shipped schema cannot drift from the one the API server gets.
package crd

import "embed"

// Bases holds bases/*.yaml, one CustomResourceDefinition per file.
//
//go:embed bases/*.yaml
var Bases embed.FS
