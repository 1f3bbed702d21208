// Command facet-ferretdb runs FerretDB with its SQLite handler for Facet's
// local development and tests.
//
// It embeds FerretDB's public `ferretdb` package instead of using the upstream
// cmd/ferretdb, whose `go install` build panics at start because the module
// does not ship build/version/version.txt. The embedded server opens only the
// MongoDB wire listener given by -listen-addr: no debug HTTP listener, no
// telemetry, no OpenTelemetry exporter.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

const ferretModule = "github.com/FerretDB/FerretDB"

// ferretVersion returns the version of the FerretDB module linked in.
func ferretVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == ferretModule {
				if dep.Replace != nil {
					return dep.Replace.Version
				}
				return dep.Version
			}
		}
	}
	return "unknown"
}

func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("invalid -log-level %q (want debug, info, warn or error)", s)
}

// sqliteURL turns a directory into the `file:` URI FerretDB expects
// (absolute path, trailing slash), creating the directory if needed.
func sqliteURL(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return "", err
	}
	u := url.URL{Scheme: "file", Path: strings.TrimSuffix(abs, "/") + "/"}
	return u.String(), nil
}

func run() error {
	fs := flag.NewFlagSet("facet-ferretdb", flag.ContinueOnError)
	listenAddr := fs.String("listen-addr", "127.0.0.1:27030", "MongoDB wire protocol listen address (host:port)")
	sqliteDir := fs.String("sqlite-dir", "data", "directory holding the SQLite databases (created if missing)")
	logLevel := fs.String("log-level", "warn", "log level: debug, info, warn or error")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	if *showVersion {
		fmt.Printf("facet-ferretdb: FerretDB %s (embedded, sqlite handler)\n", ferretVersion())
		return nil
	}

	level, err := parseLevel(*logLevel)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	u, err := sqliteURL(*sqliteDir)
	if err != nil {
		return fmt.Errorf("-sqlite-dir: %w", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: u,
	})
	if err != nil {
		return err
	}

	logger.Info("facet-ferretdb started", "version", ferretVersion(), "listen", *listenAddr, "sqlite", u, "pid", os.Getpid())
	if err := f.Run(ctx); err != nil {
		return err
	}
	logger.Info("facet-ferretdb stopped")
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "facet-ferretdb: %s\n", err)
		os.Exit(1)
	}
}
