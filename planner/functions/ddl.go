package functions

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/gspark/gspark/exec/expr/fmtfn"
	"github.com/gspark/gspark/planner/logical"
)

// ParseDDLSchema reads a schema the way Spark's from_json and from_csv read
// theirs: a list of fields ('a INT, b STRING', 'a: INT', with optional NOT
// NULL and COMMENT) as a struct, or else a single type (struct<a:int>,
// array<string>, map<string,int>, decimal(10,2), variant, ...). Field names may be
// quoted with backticks.
func ParseDDLSchema(s string) (arrow.DataType, error) {
	p := &ddlParser{s: s}
	save := p.pos
	if fields, err := p.fieldList(); err == nil && p.atEnd() && len(fields) > 0 {
		return arrow.StructOf(fields...), nil
	}
	p.pos = save
	t, err := p.typ()
	if err != nil {
		return nil, err
	}
	if !p.atEnd() {
		return nil, p.fail("unexpected text")
	}
	return t, nil
}

type ddlParser struct {
	s   string
	pos int
}

func (p *ddlParser) fail(what string) error {
	return fmt.Errorf("invalid schema %q: %s at position %d", p.s, what, p.pos+1)
}

func (p *ddlParser) space() {
	for p.pos < len(p.s) && strings.ContainsRune(" \t\n\r", rune(p.s[p.pos])) {
		p.pos++
	}
}

func (p *ddlParser) atEnd() bool {
	p.space()
	return p.pos >= len(p.s)
}

// accept consumes the punctuation tok if it comes next.
func (p *ddlParser) accept(tok string) bool {
	p.space()
	if strings.HasPrefix(p.s[p.pos:], tok) {
		p.pos += len(tok)
		return true
	}
	return false
}

// word reads an identifier, a backtick-quoted name or a number.
func (p *ddlParser) word() (string, error) {
	p.space()
	if p.pos < len(p.s) && p.s[p.pos] == '`' {
		var b strings.Builder
		p.pos++
		for p.pos < len(p.s) {
			c := p.s[p.pos]
			p.pos++
			if c == '`' {
				if p.pos < len(p.s) && p.s[p.pos] == '`' {
					b.WriteByte('`')
					p.pos++
					continue
				}
				return b.String(), nil
			}
			b.WriteByte(c)
		}
		return "", p.fail("unterminated `name`")
	}
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			p.pos++
			continue
		}
		break
	}
	if p.pos == start {
		return "", p.fail("expected a name")
	}
	return p.s[start:p.pos], nil
}

// keyword consumes the word kw (any case) if it comes next.
func (p *ddlParser) keyword(kw string) bool {
	save := p.pos
	w, err := p.word()
	if err == nil && strings.EqualFold(w, kw) {
		return true
	}
	p.pos = save
	return false
}

func (p *ddlParser) fieldList() ([]arrow.Field, error) {
	var fields []arrow.Field
	for {
		f, err := p.field()
		if err != nil {
			return nil, err
		}
		fields = append(fields, f)
		if !p.accept(",") {
			return fields, nil
		}
	}
}

func (p *ddlParser) field() (arrow.Field, error) {
	name, err := p.word()
	if err != nil {
		return arrow.Field{}, err
	}
	p.accept(":")
	t, err := p.typ()
	if err != nil {
		return arrow.Field{}, err
	}
	if p.keyword("NOT") {
		if !p.keyword("NULL") {
			return arrow.Field{}, p.fail("expected NULL after NOT")
		}
	}
	if p.keyword("COMMENT") {
		p.space()
		if p.pos >= len(p.s) || (p.s[p.pos] != '\'' && p.s[p.pos] != '"') {
			return arrow.Field{}, p.fail("expected a comment string")
		}
		q := p.s[p.pos]
		end := strings.IndexByte(p.s[p.pos+1:], q)
		if end < 0 {
			return arrow.Field{}, p.fail("unterminated comment")
		}
		p.pos += end + 2
	}
	// Values read from text may always be missing: every field is nullable,
	// as Spark makes the schema of from_json nullable.
	return arrow.Field{Name: name, Type: t, Nullable: true}, nil
}

func (p *ddlParser) typ() (arrow.DataType, error) {
	name, err := p.word()
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(name) {
	case "array":
		if !p.accept("<") {
			return nil, p.fail("expected <")
		}
		e, err := p.typ()
		if err != nil {
			return nil, err
		}
		if !p.accept(">") {
			return nil, p.fail("expected >")
		}
		return arrow.ListOf(e), nil
	case "map":
		if !p.accept("<") {
			return nil, p.fail("expected <")
		}
		k, err := p.typ()
		if err != nil {
			return nil, err
		}
		if !p.accept(",") {
			return nil, p.fail("expected ,")
		}
		v, err := p.typ()
		if err != nil {
			return nil, err
		}
		if !p.accept(">") {
			return nil, p.fail("expected >")
		}
		return arrow.MapOf(k, v), nil
	case "variant":
		return fmtfn.VariantType(), nil
	case "struct":
		if !p.accept("<") {
			return nil, p.fail("expected <")
		}
		if p.accept(">") {
			return arrow.StructOf(), nil
		}
		fields, err := p.fieldList()
		if err != nil {
			return nil, err
		}
		if !p.accept(">") {
			return nil, p.fail("expected >")
		}
		return arrow.StructOf(fields...), nil
	}
	text := name
	if p.accept("(") {
		var parts []string
		for {
			n, err := p.word()
			if err != nil {
				return nil, err
			}
			parts = append(parts, n)
			if !p.accept(",") {
				break
			}
		}
		if !p.accept(")") {
			return nil, p.fail("expected )")
		}
		text += "(" + strings.Join(parts, ",") + ")"
	}
	t, err := logical.ParseType(text)
	if err != nil {
		return nil, fmt.Errorf("invalid schema %q: %w", p.s, err)
	}
	return t, nil
}
