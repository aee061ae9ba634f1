package server

import (
	"context"
	"fmt"
	"sort"
	"strings"

	cproto "github.com/gspark/gspark/connect/proto"
)

// config answers Config. Settings gspark knows (spark.sql.session.timeZone,
// spark.sql.shuffle.partitions, …) go to the session's frame.Session; any
// other key is kept as it is, as Spark keeps settings it has no use for,
// so a client reads back what it set.
func (s *Server) config(_ context.Context, req cproto.Msg) (cproto.Msg, error) {
	ss, err := s.session(req.Str("session_id"))
	if err != nil {
		return cproto.Msg{}, err
	}
	resp, err := s.response("ConfigResponse", ss)
	if err != nil {
		return resp, err
	}
	op := req.Get("operation")
	kind := op.Which("op_type")
	x := op.Get(kind)
	pair := func(k string, v *string) error {
		p, err := resp.Append("pairs", nil)
		if err != nil {
			return err
		}
		_ = p.Set("key", k)
		if v != nil {
			_ = p.Set("value", *v)
		}
		return nil
	}
	switch kind {
	case "set":
		for _, p := range x.List("pairs") {
			if err := ss.setConf(p.Str("key"), p.Str("value")); err != nil {
				return resp, err
			}
		}
	case "get":
		for _, k := range x.Strings("keys") {
			v, ok := ss.conf(k)
			if !ok {
				return resp, fmt.Errorf("[SQL_CONF_NOT_FOUND] the SQL config %q cannot be found", k)
			}
			if err := pair(k, &v); err != nil {
				return resp, err
			}
		}
	case "get_with_default":
		for _, p := range x.List("pairs") {
			k := p.Str("key")
			v, ok := ss.conf(k)
			if !ok || !ss.isSet(k) && p.Has("value") {
				if !p.Has("value") {
					if err := pair(k, nil); err != nil {
						return resp, err
					}
					continue
				}
				v = p.Str("value")
			}
			if err := pair(k, &v); err != nil {
				return resp, err
			}
		}
	case "get_option":
		for _, k := range x.Strings("keys") {
			v, ok := ss.conf(k)
			var vp *string
			if ok {
				vp = &v
			}
			if err := pair(k, vp); err != nil {
				return resp, err
			}
		}
	case "get_all":
		prefix := x.Str("prefix")
		all := ss.allConf()
		keys := make([]string, 0, len(all))
		for k := range all {
			if strings.HasPrefix(k, prefix) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := all[k]
			if err := pair(k, &v); err != nil {
				return resp, err
			}
		}
	case "unset":
		for _, k := range x.Strings("keys") {
			if err := ss.unsetConf(k); err != nil {
				return resp, err
			}
		}
	case "is_modifiable":
		for _, k := range x.Strings("keys") {
			v := "true"
			if err := pair(k, &v); err != nil {
				return resp, err
			}
		}
	default:
		return resp, fmt.Errorf("config: operation not set")
	}
	return resp, nil
}

// gsparkKey reports whether gspark's session has the setting.
func (ss *session) gsparkKey(k string) bool {
	_, err := ss.fs.Conf(k)
	return err == nil
}

func (ss *session) conf(k string) (string, bool) {
	if ss.gsparkKey(k) {
		v, _ := ss.fs.Conf(k)
		return v, true
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	v, ok := ss.extra[k]
	return v, ok
}

// isSet reports whether the client set the key in this session.
func (ss *session) isSet(k string) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	_, a := ss.extra[k]
	_, b := ss.defaults[k]
	return a || b
}

func (ss *session) setConf(k, v string) error {
	if !ss.gsparkKey(k) {
		ss.mu.Lock()
		ss.extra[k] = v
		ss.mu.Unlock()
		return nil
	}
	old, _ := ss.fs.Conf(k)
	if err := ss.fs.SetConf(k, v); err != nil {
		return fmt.Errorf("setting %s: %w", k, err)
	}
	ss.mu.Lock()
	if _, ok := ss.defaults[k]; !ok {
		ss.defaults[k] = old
	}
	ss.mu.Unlock()
	return nil
}

func (ss *session) unsetConf(k string) error {
	ss.mu.Lock()
	delete(ss.extra, k)
	def, ok := ss.defaults[k]
	delete(ss.defaults, k)
	ss.mu.Unlock()
	if ok {
		if err := ss.fs.SetConf(k, def); err != nil {
			return fmt.Errorf("unsetting %s: %w", k, err)
		}
	}
	return nil
}

// allConf is the settings a client set plus Spark's two most read ones.
func (ss *session) allConf() map[string]string {
	out := map[string]string{}
	for _, k := range []string{"spark.sql.session.timeZone", "spark.sql.shuffle.partitions"} {
		if v, ok := ss.conf(k); ok {
			out[k] = v
		}
	}
	ss.mu.Lock()
	keys := make([]string, 0, len(ss.defaults))
	for k, v := range ss.extra {
		out[k] = v
	}
	for k := range ss.defaults {
		keys = append(keys, k)
	}
	ss.mu.Unlock()
	for _, k := range keys {
		if v, ok := ss.conf(k); ok {
			out[k] = v
		}
	}
	return out
}
