// dockerfile-check runs BuildKit's own Dockerfile checks (the rules of `docker build --check`: casing,
// JSON arguments, stage names, secrets in ARG/ENV, undefined variables, ...) without a Docker engine,
// and prints the result as JSON: {"warnings": [...], "buildError": {...}}. Base images are never
// looked up: every one is answered with an empty image config. tests/deploy runs it on the Dockerfile.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerui"
	digest "github.com/opencontainers/go-digest"
)

// offlineImages answers every base-image lookup with an empty Linux image config, so linting never
// contacts a registry.
type offlineImages struct{}

func (offlineImages) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	config := []byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers"},"config":{}}`)
	return ref, digest.FromBytes(config), config, nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: dockerfile-check <Dockerfile>")
		os.Exit(2)
	}
	dt, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx := context.Background()
	source := llb.Local("dockerfile")
	definition, err := source.Marshal(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	sourceMap := llb.NewSourceMap(&source, os.Args[1], "Dockerfile", dt)
	sourceMap.Definition = definition
	res, err := dockerfile2llb.DockerfileLint(ctx, dt, dockerfile2llb.ConvertOpt{Config: dockerui.Config{}, SourceMap: sourceMap, MetaResolver: offlineImages{}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, _ := json.MarshalIndent(res, "", "  ")
	fmt.Println(string(out))
}
