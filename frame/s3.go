package frame

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gspark/gspark/io/fsys"
	"github.com/gspark/gspark/io/fsys/s3fs"
)

// The settings of s3:// paths, under the names of Hadoop's S3A connector
// that Spark users set (also accepted with Spark's "spark.hadoop." prefix),
// as session settings (SetConf, SQL SET) and as reader and writer options.
const (
	confS3Endpoint  = "fs.s3a.endpoint"
	confS3PathStyle = "fs.s3a.path.style.access"
	confS3Region    = "fs.s3a.endpoint.region"
	confS3AccessKey = "fs.s3a.access.key"
	confS3SecretKey = "fs.s3a.secret.key"
)

func s3Keys() []string {
	return []string{confS3Endpoint, confS3PathStyle, confS3Region, confS3AccessKey, confS3SecretKey}
}

// s3Key returns the S3 setting key names (lower case, without the
// "spark.hadoop." prefix) and whether it is one.
func s3Key(key string) (string, bool) {
	k := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(key)), "spark.hadoop.")
	for _, s := range s3Keys() {
		if k == s {
			return s, true
		}
	}
	return "", false
}

// s3Config builds the S3 configuration from settings (lower-case keys).
func s3Config(settings map[string]string) (s3fs.Config, error) {
	cfg := s3fs.Config{
		Endpoint:  settings[confS3Endpoint],
		Region:    settings[confS3Region],
		AccessKey: settings[confS3AccessKey],
		SecretKey: settings[confS3SecretKey],
	}
	if v := settings[confS3PathStyle]; v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("%s: %q is not true or false", confS3PathStyle, v)
		}
		cfg.PathStyle = b
	}
	return cfg, nil
}

// newFSMux is the file system of paths read and written with settings:
// local paths, and s3:// (s3a://, s3n://) URLs through an S3 client made on
// first use.
func newFSMux(settings map[string]string) *fsys.Mux {
	return fsys.NewMux(func(ctx context.Context, scheme string) (fsys.FS, error) {
		switch scheme {
		case "s3", "s3a", "s3n":
			cfg, err := s3Config(settings)
			if err != nil {
				return nil, err
			}
			return s3fs.New(ctx, cfg)
		}
		return nil, fmt.Errorf("no file system for scheme %q (gspark reads local paths and s3://bucket/key)", scheme)
	})
}

// setS3Conf records an S3 setting; the next s3:// path uses a client made
// with it.
func (s *Session) setS3Conf(key, value string) {
	s.settings.Lock()
	defer s.settings.Unlock()
	if s.s3conf == nil {
		s.s3conf = map[string]string{}
	}
	s.s3conf[key] = value
	s.fsMux = nil
}

// s3ConfValue is the value of an S3 setting for Conf (keys masked).
func (s *Session) s3ConfValue(key string) string {
	s.settings.RLock()
	defer s.settings.RUnlock()
	v, ok := s.s3conf[key]
	switch {
	case !ok:
		return "<undefined>"
	case key == confS3AccessKey || key == confS3SecretKey:
		return "*********(redacted)"
	}
	return v
}

// fs is the session's file system (made again after an S3 setting changed).
func (s *Session) fs() fsys.FS {
	s.settings.Lock()
	defer s.settings.Unlock()
	if s.fsMux == nil {
		conf := make(map[string]string, len(s.s3conf))
		for k, v := range s.s3conf {
			conf[k] = v
		}
		s.fsMux = newFSMux(conf)
	}
	return s.fsMux
}

// fsWith is the session's file system, or, when opts set S3 options, one
// with them over the session's settings.
func (s *Session) fsWith(opts map[string]string) fsys.FS {
	var own map[string]string
	for k, v := range opts {
		if sk, ok := s3Key(k); ok {
			if own == nil {
				own = map[string]string{}
			}
			own[sk] = v
		}
	}
	if own == nil {
		return s.fs()
	}
	s.settings.RLock()
	conf := make(map[string]string, len(s.s3conf)+len(own))
	for k, v := range s.s3conf {
		conf[k] = v
	}
	s.settings.RUnlock()
	for k, v := range own {
		conf[k] = v
	}
	return newFSMux(conf)
}
