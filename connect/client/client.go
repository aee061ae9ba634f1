// Package client is gspark's Spark Connect client transport: it dials an
// endpoint (sc://host:port[/;param=value...]), holds one session on it, runs
// SQL and streams the Arrow record batches of results back as they arrive.
//
// The connection string is parsed and the gRPC connection built by the
// official Go client's channel builder (github.com/apache/spark-connect-go),
// so its parameters (token, use_ssl, user_id, …) mean what they mean there.
// The messages are the client's registered descriptors used through
// connect/proto (dynamicpb), which lets results stream batch by batch: the
// official client's DataFrame collects a whole result before returning it.
//
// The package knows nothing of plans or DataFrames: frame.WithRemote and
// `gspark sql --remote` build on it.
package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/spark-connect-go/spark/client/channel"
	"github.com/google/uuid"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	cproto "github.com/gspark/gspark/connect/proto"
)

// clientType is what the client calls itself in requests.
const clientType = "gspark"

// Client is one session on a Spark Connect endpoint. Its methods may be
// called from several goroutines.
type Client struct {
	addr    string
	conn    *grpc.ClientConn
	schema  *cproto.Schema
	session string
	user    string
	headers metadata.MD
	mem     memory.Allocator

	closeOnce sync.Once
	closeErr  error
}

// Dial opens a session on the Spark Connect endpoint addr
// (sc://host:port[/;param=value...]). The connection is made lazily by
// gRPC: an endpoint that cannot be reached shows in the first call.
func Dial(ctx context.Context, addr string) (*Client, error) {
	schema, err := cproto.Load()
	if err != nil {
		return nil, err
	}
	b, err := channel.NewBuilder(addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", addr, err)
	}
	conn, err := b.Build(ctx)
	if err != nil {
		if conn != nil {
			_ = conn.Close()
		}
		return nil, fmt.Errorf("%s: %w", addr, err)
	}
	md := metadata.MD{}
	for k, v := range b.Headers() {
		md.Append(k, v)
	}
	user := b.User()
	return &Client{addr: addr, conn: conn, schema: schema, session: uuid.NewString(), user: user, headers: md, mem: memory.DefaultAllocator}, nil
}

// Addr is the sc:// address the client was dialled with.
func (c *Client) Addr() string { return c.addr }

// SessionID is the client's session id on the server.
func (c *Client) SessionID() string { return c.session }

// Close releases the session on the server and closes the connection (the
// official client's Stop leaves it open; this does not).
func (c *Client) Close() error {
	c.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), releaseTimeout)
		defer cancel()
		req, err := c.request("ReleaseSessionRequest")
		if err == nil {
			err = c.unary(ctx, "ReleaseSession", req, "ReleaseSessionResponse", nil)
		}
		if errors.Is(err, ErrUnreachable) {
			err = nil // nothing to release on a server that is gone
		}
		if cerr := c.conn.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: closing the connection: %w", c.addr, cerr)
		}
		c.closeErr = err
	})
	return c.closeErr
}

// request makes a request message carrying the session and user.
func (c *Client) request(name string) (cproto.Msg, error) {
	m, err := c.schema.New(name)
	if err != nil {
		return m, err
	}
	if err := m.Set("session_id", c.session); err != nil {
		return m, err
	}
	uc := m.Mut("user_context")
	if c.user != "" {
		_ = uc.Set("user_id", c.user)
	}
	_ = m.Set("client_type", clientType)
	return m, nil
}

func (c *Client) outgoing(ctx context.Context) context.Context {
	if len(c.headers) == 0 {
		return ctx
	}
	return metadata.NewOutgoingContext(ctx, c.headers)
}

// unary calls a unary method; out, if not nil, receives the response.
func (c *Client) unary(ctx context.Context, method string, req cproto.Msg, respName string, out *cproto.Msg) error {
	md, err := c.schema.Message(respName)
	if err != nil {
		return err
	}
	resp := dynamicpb.NewMessage(md)
	if err := c.conn.Invoke(c.outgoing(ctx), "/"+cproto.ServiceName+"/"+method, req.M.Interface(), resp); err != nil {
		return c.callError(err)
	}
	if out != nil {
		*out = cproto.Of(resp)
	}
	return nil
}

// SetConf sets configuration keys of the session on the server.
func (c *Client) SetConf(ctx context.Context, pairs map[string]string) error {
	if len(pairs) == 0 {
		return nil
	}
	req, err := c.request("ConfigRequest")
	if err != nil {
		return err
	}
	set := req.Mut("operation").Mut("set")
	keys := make([]string, 0, len(pairs))
	for k := range pairs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kv, err := set.Append("pairs", nil)
		if err != nil {
			return err
		}
		_ = kv.Set("key", k)
		if err := kv.Set("value", pairs[k]); err != nil {
			return err
		}
	}
	return c.unary(ctx, "Config", req, "ConfigResponse", nil)
}

// Conf returns the value of a configuration key of the session on the server.
func (c *Client) Conf(ctx context.Context, key string) (string, error) {
	req, err := c.request("ConfigRequest")
	if err != nil {
		return "", err
	}
	if _, err := req.Mut("operation").Mut("get").Append("keys", key); err != nil {
		return "", err
	}
	var resp cproto.Msg
	if err := c.unary(ctx, "Config", req, "ConfigResponse", &resp); err != nil {
		return "", err
	}
	for _, kv := range resp.List("pairs") {
		if kv.Str("key") == key {
			return kv.Str("value"), nil
		}
	}
	return "", fmt.Errorf("config %s: not in the server's answer", key)
}

// Query runs a query (one SELECT, WITH, VALUES, … statement) on the server
// and returns its result, which streams: its schema is known on return,
// its batches arrive as the server makes them. The caller closes it.
func (c *Client) Query(ctx context.Context, query string) (*Result, error) {
	rel, err := c.sqlRelation(query)
	if err != nil {
		return nil, err
	}
	return c.executeRoot(ctx, rel)
}

func (c *Client) sqlRelation(query string) (cproto.Msg, error) {
	rel, err := c.schema.New("Relation")
	if err != nil {
		return rel, err
	}
	if err := rel.Mut("sql").Set("query", query); err != nil {
		return rel, err
	}
	return rel, nil
}

// executeRoot runs a relation and waits for its schema.
func (c *Client) executeRoot(ctx context.Context, rel cproto.Msg) (*Result, error) {
	req, err := c.request("ExecutePlanRequest")
	if err != nil {
		return nil, err
	}
	if err := req.Mut("plan").Set("root", rel); err != nil {
		return nil, err
	}
	r, err := c.execute(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := r.awaitSchema(); err != nil {
		_ = r.Close()
		return nil, err
	}
	return r, nil
}

// Exec runs one statement of any kind: a query's result streams as Query's
// does; a command (SET, CREATE VIEW, SHOW, …) takes effect on the server
// and its result, if it has one, is returned whole (an empty result with
// no columns when it has none).
func (c *Client) Exec(ctx context.Context, statement string) (*Result, error) {
	req, err := c.request("ExecutePlanRequest")
	if err != nil {
		return nil, err
	}
	if err := req.Mut("plan").Mut("command").Mut("sql_command").Set("sql", statement); err != nil {
		return nil, err
	}
	r, err := c.execute(ctx, req)
	if err != nil {
		return nil, err
	}
	rel, err := r.commandResult()
	if err != nil {
		return nil, err
	}
	switch rel.Which("rel_type") {
	case "local_relation":
		return c.localResult(rel.Get("local_relation"))
	case "":
		return emptyResult(), nil
	}
	// A query comes back as a relation to run.
	return c.executeRoot(ctx, rel)
}

// WriteSpec says where and how Write saves a result.
type WriteSpec struct {
	Path        string            // the directory, resolved on the server
	Format      string            // parquet, csv, json, …; "" for the server's default
	Mode        string            // error (default), append, overwrite or ignore
	Options     map[string]string // writer options, by Spark's names
	PartitionBy []string          // hive-style partition columns
}

// saveModes are WriteOperation.SaveMode's numbers by Spark's mode names.
var saveModes = map[string]int{"": 3, "error": 3, "errorifexists": 3, "default": 3, "append": 1, "overwrite": 2, "ignore": 4}

// Write runs query on the server and saves its result there, with Spark
// Connect's write operation.
func (c *Client) Write(ctx context.Context, query string, w WriteSpec) error {
	mode, ok := saveModes[lower(w.Mode)]
	if !ok {
		return fmt.Errorf("write %s: unknown save mode %q (want error, append, overwrite or ignore)", w.Path, w.Mode)
	}
	rel, err := c.sqlRelation(query)
	if err != nil {
		return err
	}
	req, err := c.request("ExecutePlanRequest")
	if err != nil {
		return err
	}
	op := req.Mut("plan").Mut("command").Mut("write_operation")
	if err := op.Set("input", rel); err != nil {
		return err
	}
	if w.Format != "" {
		_ = op.Set("source", w.Format)
	}
	_ = op.Set("mode", mode)
	if err := op.Set("path", w.Path); err != nil {
		return err
	}
	if err := setStringMap(op, "options", w.Options); err != nil {
		return err
	}
	for _, col := range w.PartitionBy {
		if _, err := op.Append("partitioning_columns", col); err != nil {
			return err
		}
	}
	return c.run(ctx, req)
}

// CreateView makes the query a temporary view of the session on the server.
func (c *Client) CreateView(ctx context.Context, name, query string, replace bool) error {
	rel, err := c.sqlRelation(query)
	if err != nil {
		return err
	}
	req, err := c.request("ExecutePlanRequest")
	if err != nil {
		return err
	}
	v := req.Mut("plan").Mut("command").Mut("create_dataframe_view")
	if err := v.Set("input", rel); err != nil {
		return err
	}
	_ = v.Set("name", name)
	_ = v.Set("replace", replace)
	return c.run(ctx, req)
}

// run executes a command and waits for it to complete.
func (c *Client) run(ctx context.Context, req cproto.Msg) error {
	r, err := c.execute(ctx, req)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		b, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		b.Release()
	}
}

func setStringMap(m cproto.Msg, field string, kv map[string]string) error {
	if len(kv) == 0 {
		return nil
	}
	f := m.M.Descriptor().Fields().ByName(protoName(field))
	if f == nil || !f.IsMap() {
		return fmt.Errorf("%s has no map field %s", m.Name(), field)
	}
	mp := m.M.Mutable(f).Map()
	for k, v := range kv {
		mp.Set(mapKey(k), mapValue(v))
	}
	return nil
}

// execute starts an ExecutePlan call.
func (c *Client) execute(ctx context.Context, req cproto.Msg) (*Result, error) {
	_ = req.Set("operation_id", uuid.NewString())
	respDesc, err := c.schema.Message("ExecutePlanResponse")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	st, err := c.conn.NewStream(c.outgoing(ctx), &grpc.StreamDesc{ServerStreams: true}, "/"+cproto.ServiceName+"/ExecutePlan")
	if err != nil {
		cancel()
		return nil, c.callError(err)
	}
	if err := st.SendMsg(req.M.Interface()); err != nil {
		cancel()
		return nil, c.callError(err)
	}
	if err := st.CloseSend(); err != nil {
		cancel()
		return nil, c.callError(err)
	}
	return &Result{c: c, stream: st, cancel: cancel, newResp: func() *dynamicpb.Message { return dynamicpb.NewMessage(respDesc) }}, nil
}

// localResult decodes a local relation's Arrow IPC data.
func (c *Client) localResult(lr cproto.Msg) (*Result, error) {
	data := lr.Bytes("data")
	if len(data) == 0 {
		return emptyResult(), nil
	}
	rd, err := ipc.NewReader(bytes.NewReader(data), ipc.WithAllocator(c.mem))
	if err != nil {
		return nil, fmt.Errorf("%s: reading a result: %w", c.addr, err)
	}
	defer rd.Release()
	r := &Result{schema: rd.Schema(), done: true}
	for rd.Next() {
		b := rd.RecordBatch()
		b.Retain()
		r.pending = append(r.pending, b)
	}
	if err := rd.Err(); err != nil {
		r.release()
		return nil, fmt.Errorf("%s: reading a result: %w", c.addr, err)
	}
	return r, nil
}

// ServerError is an error the server reported: its message and, when the
// server sent one, Spark's exception class (e.g.
// org.apache.spark.sql.AnalysisException) and error class.
type ServerError struct {
	Code       codes.Code
	Message    string
	Exception  string
	ErrorClass string
}

func (e *ServerError) Error() string { return e.Message }

// ErrUnreachable marks a server that cannot be reached.
var ErrUnreachable = errors.New("the server cannot be reached")

// callError turns a gRPC error into a ServerError, keeping the server's
// message, or says plainly that the server cannot be reached.
func (c *Client) callError(err error) error {
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	switch st.Code() {
	case codes.Unavailable:
		return fmt.Errorf("%s: %w: %s", c.addr, ErrUnreachable, st.Message())
	case codes.Canceled:
		return context.Canceled
	case codes.DeadlineExceeded:
		return context.DeadlineExceeded
	}
	se := &ServerError{Code: st.Code(), Message: st.Message()}
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			se.Exception = info.GetReason()
			se.ErrorClass = info.GetMetadata()["errorClass"]
		}
	}
	return se
}

// Result is a statement's result: its schema and its record batches, read
// with Next as they arrive. Close it when done, also after io.EOF.
type Result struct {
	c       *Client
	stream  grpc.ClientStream
	cancel  context.CancelFunc
	newResp func() *dynamicpb.Message

	schema  *arrow.Schema
	pending []arrow.RecordBatch
	command cproto.Msg // a sql_command's result relation
	done    bool
}

func emptyResult() *Result {
	return &Result{schema: arrow.NewSchema(nil, nil), done: true}
}

// Schema is the result's schema.
func (r *Result) Schema() *arrow.Schema { return r.schema }

// Next returns the next record batch, or io.EOF after the last. The
// caller releases the batch.
func (r *Result) Next() (arrow.RecordBatch, error) {
	for len(r.pending) == 0 {
		if r.done {
			return nil, io.EOF
		}
		if err := r.receive(); err != nil {
			return nil, err
		}
	}
	b := r.pending[0]
	r.pending = r.pending[1:]
	return b, nil
}

// awaitSchema receives until the schema is known (the first batch of a
// relation carries it) or the result ends.
func (r *Result) awaitSchema() error {
	for r.schema == nil && !r.done {
		if err := r.receive(); err != nil {
			return err
		}
	}
	if r.schema == nil {
		r.schema = arrow.NewSchema(nil, nil)
	}
	return nil
}

// commandResult receives a command's responses to the end and returns the
// relation of its sql_command_result.
func (r *Result) commandResult() (cproto.Msg, error) {
	defer r.Close()
	for !r.done {
		if err := r.receive(); err != nil {
			return cproto.Msg{}, err
		}
	}
	return r.command, nil
}

// receive reads one response.
func (r *Result) receive() error {
	resp := r.newResp()
	if err := r.stream.RecvMsg(resp); err != nil {
		r.done = true
		if err == io.EOF {
			return nil
		}
		return r.c.callError(err)
	}
	m := cproto.Of(resp)
	switch m.Which("response_type") {
	case "arrow_batch":
		return r.decode(m.Get("arrow_batch").Bytes("data"))
	case "sql_command_result":
		r.command = m.Get("sql_command_result").Get("relation")
	case "result_complete":
		r.done = true
	}
	return nil
}

func (r *Result) decode(data []byte) error {
	rd, err := ipc.NewReader(bytes.NewReader(data), ipc.WithAllocator(r.c.mem))
	if err != nil {
		return fmt.Errorf("%s: reading a result batch: %w", r.c.addr, err)
	}
	defer rd.Release()
	if r.schema == nil {
		r.schema = rd.Schema()
	}
	for rd.Next() {
		b := rd.RecordBatch()
		b.Retain()
		r.pending = append(r.pending, b)
	}
	if err := rd.Err(); err != nil {
		return fmt.Errorf("%s: reading a result batch: %w", r.c.addr, err)
	}
	return nil
}

func (r *Result) release() {
	for _, b := range r.pending {
		b.Release()
	}
	r.pending = nil
}

// Close releases the batches not read and ends the call (cancelling the
// operation on the server if it is still running).
func (r *Result) Close() error {
	r.release()
	r.done = true
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
	return nil
}

// releaseTimeout bounds the ReleaseSession call of Close.
const releaseTimeout = 5 * time.Second

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func protoName(s string) protoreflect.Name { return protoreflect.Name(s) }

func mapKey(s string) protoreflect.MapKey { return protoreflect.ValueOfString(s).MapKey() }

func mapValue(s string) protoreflect.Value { return protoreflect.ValueOfString(s) }
