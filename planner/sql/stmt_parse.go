package sql

import (
	"strings"
)

// statement parses one statement: a query or a command, and records its
// source text.
func (p *parser) statement() (Statement, error) {
	start := p.peek().pos
	st, err := p.statementBody()
	if err != nil {
		return nil, err
	}
	st.setText(strings.TrimSpace(p.src[start:p.peek().pos]))
	return st, nil
}

// startsQuery reports whether the next token can begin a query.
func (p *parser) startsQuery() bool {
	t := p.peek()
	return t.is("SELECT") || t.is("WITH") || t.is("VALUES") || t.isOp("(")
}

func (p *parser) statementBody() (Statement, error) {
	t := p.peek()
	switch {
	case p.startsQuery():
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		return &Query{Plan: q}, nil
	case t.is("CREATE"):
		return p.create()
	case t.is("INSERT"):
		return p.insertOverwrite()
	case t.is("SET"):
		return p.set()
	case t.is("EXPLAIN"):
		p.next()
		ext := p.acceptKw("EXTENDED")
		formatted := !ext && p.acceptKw("FORMATTED")
		analyze := !ext && !formatted && p.acceptKw("ANALYZE")
		if p.peek().is("CODEGEN") || p.peek().is("COST") {
			return nil, p.errAt(p.peek(), "EXPLAIN %s is not supported yet", strings.ToUpper(p.peek().text))
		}
		if !p.startsQuery() {
			return nil, p.expected("a query after EXPLAIN")
		}
		q, err := p.query()
		if err != nil {
			return nil, err
		}
		return &Explain{Extended: ext, Formatted: formatted, Analyze: analyze, Query: q}, nil
	case t.is("SHOW"):
		p.next()
		if p.acceptKw("COLUMNS") {
			return p.showColumns()
		}
		if (p.peek().is("USER") || p.peek().is("SYSTEM") || p.peek().is("ALL")) && p.peekAt(1).is("FUNCTIONS") {
			p.next()
		}
		if p.acceptKw("FUNCTIONS") {
			pat, err := p.showFunctionsPattern()
			if err != nil {
				return nil, err
			}
			return &ShowFunctions{Pattern: pat}, nil
		}
		if err := p.expectKw("TABLES"); err != nil {
			return nil, err
		}
		return &ShowTables{}, nil
	case t.is("CACHE"):
		return p.cache()
	case t.is("UNCACHE"):
		return p.uncache()
	case t.is("DECLARE"):
		return p.declare()
	case t.is("DROP"):
		p.next()
		p.acceptKw("TEMPORARY")
		p.acceptKw("TEMP")
		if p.acceptKw("VARIABLE") {
			return p.dropVariable()
		}
		if err := p.expectKw("VIEW"); err != nil {
			return nil, err
		}
		ifExists := false
		if p.acceptKw("IF") {
			if err := p.expectKw("EXISTS"); err != nil {
				return nil, err
			}
			ifExists = true
		}
		name, err := p.qualifiedName("view name")
		if err != nil {
			return nil, err
		}
		return &DropView{Name: name, IfExists: ifExists}, nil
	case t.is("DESCRIBE"), t.is("DESC"):
		p.next()
		if p.peek().is("MODEL") && p.peekAt(1).kind == tkString {
			return p.describeModel()
		}
		p.acceptKw("TABLE")
		ext := false
		if (p.peek().is("EXTENDED") || p.peek().is("FORMATTED")) && p.peekAt(1).kind != tkEOF && !p.peekAt(1).isOp(";") {
			p.next()
			ext = true
		}
		name, err := p.qualifiedName("table name")
		if err != nil {
			return nil, err
		}
		return &Describe{Name: name, Extended: ext}, nil
	}
	return nil, p.expected("SELECT, WITH, CREATE, INSERT, DROP, EXPLAIN, SHOW, DESCRIBE, SET, CACHE, UNCACHE or DECLARE")
}

// create parses CREATE [OR REPLACE] TEMP VIEW … and CREATE TABLE … AS.
func (p *parser) create() (Statement, error) {
	p.next()
	replace := false
	if p.acceptKw("OR") {
		if err := p.expectKw("REPLACE"); err != nil {
			return nil, err
		}
		replace = true
	}
	if p.peek().is("TABLE") {
		if replace {
			return nil, p.errAt(p.peek(), "CREATE OR REPLACE TABLE is not supported; use CREATE TABLE … LOCATION … AS, or INSERT OVERWRITE DIRECTORY")
		}
		return p.createTable()
	}
	if !p.acceptKw("TEMP") && !p.acceptKw("TEMPORARY") {
		if p.peek().is("VIEW") {
			return nil, p.errAt(p.peek(), "only temporary views are supported: CREATE TEMP VIEW")
		}
		return nil, p.expected("TEMP, TEMPORARY or TABLE")
	}
	if err := p.expectKw("VIEW"); err != nil {
		return nil, err
	}
	nameTok := p.peek()
	name, err := p.qualifiedName("view name")
	if err != nil {
		return nil, err
	}
	if p.acceptKw("USING") {
		format, err := p.dataSource()
		if err != nil {
			return nil, err
		}
		opts := map[string]string{}
		if p.peek().is("OPTIONS") {
			if opts, err = p.options(); err != nil {
				return nil, err
			}
		}
		if opts["path"] == "" {
			return nil, p.errAt(nameTok, "view %s USING %s needs OPTIONS (path '…')", name, format)
		}
		return &CreateSourceView{Name: name, Replace: replace, Format: format, Options: opts}, nil
	}
	if err := p.expectKw("AS"); err != nil {
		return nil, err
	}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return &CreateView{Name: name, Replace: replace, Query: q}, nil
}

// createTable parses TABLE [IF NOT EXISTS] name USING format [OPTIONS (…)]
// [LOCATION 'path'] [[AS] query], the clauses after USING in any order;
// without a query it is a table over the files already at the location.
func (p *parser) createTable() (Statement, error) {
	p.next() // TABLE
	ct := &CreateTableAs{Options: map[string]string{}}
	if p.acceptKw("IF") {
		if err := p.expectKw("NOT"); err != nil {
			return nil, err
		}
		if err := p.expectKw("EXISTS"); err != nil {
			return nil, err
		}
		ct.IfNotExists = true
	}
	nameTok := p.peek()
	name, err := p.qualifiedName("table name")
	if err != nil {
		return nil, err
	}
	ct.Name = name
	if p.peek().isOp("(") {
		return nil, p.errAt(p.peek(), "column definitions are not supported; use CREATE TABLE %s USING … LOCATION … AS SELECT …", name)
	}
	if err := p.expectKw("USING"); err != nil {
		return nil, err
	}
	if ct.Format, err = p.dataSource(); err != nil {
		return nil, err
	}
	seenOpts, seenLoc := false, false
	for {
		t := p.peek()
		switch {
		case t.is("OPTIONS") && !seenOpts:
			seenOpts = true
			if ct.Options, err = p.options(); err != nil {
				return nil, err
			}
			continue
		case t.is("LOCATION") && !seenLoc:
			seenLoc = true
			p.next()
			loc := p.peek()
			if loc.kind != tkString {
				return nil, p.expected("a quoted path after LOCATION")
			}
			p.next()
			ct.Location = loc.text
			continue
		case t.is("PARTITIONED"), t.is("CLUSTERED"), t.is("TBLPROPERTIES"), t.is("COMMENT"):
			return nil, p.errAt(t, "%s is not supported in CREATE TABLE", strings.ToUpper(t.text))
		}
		break
	}
	if path, ok := ct.Options["path"]; ok {
		if seenLoc && path != ct.Location {
			return nil, p.errAt(nameTok, "table %s has both LOCATION and OPTIONS (path …)", name)
		}
		ct.Location = path
	}
	delete(ct.Options, "path")
	if ct.Location == "" {
		return nil, p.errAt(nameTok, "table %s needs a LOCATION '…' to write to", name)
	}
	if t := p.peek(); t.kind == tkEOF || t.isOp(";") {
		// A table over the files already at the location.
		opts := map[string]string{"path": ct.Location}
		for k, v := range ct.Options {
			opts[k] = v
		}
		return &CreateSourceView{Name: ct.Name, Format: ct.Format, Options: opts, IfNotExists: ct.IfNotExists}, nil
	}
	p.acceptKw("AS")
	if !p.startsQuery() {
		return nil, p.expected("AS SELECT … or the end of the statement")
	}
	if ct.Query, err = p.query(); err != nil {
		return nil, err
	}
	return ct, nil
}

// insertOverwrite parses INSERT OVERWRITE [LOCAL] DIRECTORY ['path'] USING
// format [OPTIONS (…)] query.
func (p *parser) insertOverwrite() (Statement, error) {
	insTok := p.next()
	if p.peek().is("INTO") || (p.peek().is("OVERWRITE") && p.peekAt(1).is("TABLE")) {
		return nil, p.errAt(p.peek(), "only INSERT OVERWRITE DIRECTORY is supported")
	}
	if err := p.expectKw("OVERWRITE"); err != nil {
		return nil, err
	}
	p.acceptKw("LOCAL")
	if err := p.expectKw("DIRECTORY"); err != nil {
		return nil, err
	}
	st := &InsertOverwriteDirectory{Options: map[string]string{}}
	if t := p.peek(); t.kind == tkString {
		p.next()
		st.Path = t.text
	}
	if err := p.expectKw("USING"); err != nil {
		return nil, err
	}
	var err error
	if st.Format, err = p.dataSource(); err != nil {
		return nil, err
	}
	if p.peek().is("OPTIONS") {
		if st.Options, err = p.options(); err != nil {
			return nil, err
		}
	}
	if path, ok := st.Options["path"]; ok {
		if st.Path != "" && st.Path != path {
			return nil, p.errAt(insTok, "INSERT OVERWRITE DIRECTORY has both a path and OPTIONS (path …)")
		}
		st.Path = path
	}
	delete(st.Options, "path")
	if st.Path == "" {
		return nil, p.errAt(insTok, "INSERT OVERWRITE DIRECTORY needs a path: DIRECTORY '…' or OPTIONS (path '…')")
	}
	if !p.startsQuery() {
		return nil, p.expected("a query")
	}
	if st.Query, err = p.query(); err != nil {
		return nil, err
	}
	return st, nil
}

// dataSources are the formats USING accepts.
var dataSources = map[string]bool{"parquet": true, "csv": true, "json": true, "arrow": true, "feather": true, "ipc": true, "avro": true, "delta": true}

// dataSource reads the format name after USING.
func (p *parser) dataSource() (string, error) {
	t := p.peek()
	if t.kind != tkWord && t.kind != tkQuoted {
		return "", p.expected("a data source (parquet, csv, json, arrow, avro or delta)")
	}
	f := strings.ToLower(t.text)
	if !dataSources[f] {
		return "", p.errAt(t, "unknown data source %s (want parquet, csv, json, arrow, avro or delta)", t.text)
	}
	p.next()
	return f, nil
}

// options parses OPTIONS (key [=] value, …): keys are dotted names or
// strings, compared case-insensitively; values are strings, numbers or
// booleans.
func (p *parser) options() (map[string]string, error) {
	p.next() // OPTIONS
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	opts := map[string]string{}
	if p.acceptOp(")") {
		return opts, nil
	}
	for {
		keyTok := p.peek()
		key, err := p.optionKey()
		if err != nil {
			return nil, err
		}
		p.acceptOp("=")
		val, err := p.optionValue()
		if err != nil {
			return nil, err
		}
		k := strings.ToLower(key)
		if _, dup := opts[k]; dup {
			return nil, p.errAt(keyTok, "duplicate option %s", key)
		}
		opts[k] = val
		if p.acceptOp(",") {
			continue
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		return opts, nil
	}
}

func (p *parser) optionKey() (string, error) {
	t := p.peek()
	if t.kind == tkString {
		p.next()
		return t.text, nil
	}
	if t.kind != tkWord && t.kind != tkQuoted {
		return "", p.expected("an option name")
	}
	p.next()
	parts := []string{t.text}
	for p.peek().isOp(".") {
		p.next()
		n := p.peek()
		if n.kind != tkWord && n.kind != tkQuoted {
			return "", p.expected("an option name part after '.'")
		}
		p.next()
		parts = append(parts, n.text)
	}
	return strings.Join(parts, "."), nil
}

func (p *parser) optionValue() (string, error) {
	t := p.peek()
	switch {
	case t.kind == tkString, t.kind == tkNumber:
		p.next()
		return t.text, nil
	case t.is("TRUE"), t.is("FALSE"):
		p.next()
		return strings.ToLower(t.text), nil
	case t.isOp("-") && p.peekAt(1).kind == tkNumber:
		p.next()
		return "-" + p.next().text, nil
	}
	return "", p.expected("an option value (a string, number or boolean)")
}

// set parses SET, SET key and SET key = value. The key and value are the raw
// text up to the end of the statement, split at the first '='; a value in
// quotes is unquoted.
func (p *parser) set() (Statement, error) {
	setTok := p.next()
	if (p.peek().is("VAR") || p.peek().is("VARIABLE")) && p.peekAt(1).kind != tkEOF && !p.peekAt(1).isOp("=") {
		p.next()
		return p.setVariable()
	}
	t := p.peek()
	if t.isOp(";") || t.kind == tkEOF {
		return &Set{}, nil
	}
	// The raw text of the tokens, with white space and comments between
	// them kept as one space where there were any.
	var b strings.Builder
	for !p.peek().isOp(";") && p.peek().kind != tkEOF {
		tok := p.next()
		end := p.rawEnd(tok)
		b.WriteString(p.src[tok.pos:end])
		if end < p.peek().pos {
			b.WriteByte(' ')
		}
	}
	raw := strings.TrimSpace(b.String())
	key, value, hasValue := strings.Cut(raw, "=")
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	if key == "" {
		return nil, p.errAt(setTok, "SET needs a key: SET key = value")
	}
	key = strings.Trim(key, "`")
	if strings.ContainsAny(key, " \t\r\n'\"") {
		return nil, p.errAt(t, "invalid SET key %q; use SET key = value", key)
	}
	if n := len(value); n >= 2 && (value[0] == '\'' || value[0] == '"') && value[n-1] == value[0] {
		value = value[1 : n-1]
	}
	return &Set{Key: key, Value: value, HasValue: hasValue}, nil
}

// rawEnd is the byte offset just past token t in the source.
func (p *parser) rawEnd(t token) int {
	switch t.kind {
	case tkString, tkQuoted:
		if _, n, ok := scanQuoted(p.src[t.pos:], p.src[t.pos]); ok {
			return t.pos + n
		}
	}
	return t.pos + len(t.text)
}
