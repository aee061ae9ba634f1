// Package s3fs is the fsys.FS of Amazon S3 and S3-compatible object stores,
// over aws-sdk-go-v2: paths are s3://bucket/key (s3a:// is read the same,
// as Spark users write it). Credentials and region come from the AWS SDK's
// standard chain — the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_PROFILE,
// AWS_ENDPOINT_URL) and the ~/.aws/config and ~/.aws/credentials files —
// unless Config sets them.
//
// Reads fetch byte ranges (GetObject with Range), so a Parquet scan that
// selects a few columns downloads only their column chunks and the footer.
// A created object is buffered in a local temporary file and uploaded with
// one PutObject when closed (so an object is at most 5 GiB).
package s3fs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/gspark/gspark/io/fsys"
)

// Config sets what the standard AWS configuration does not, under the names
// of Hadoop's S3A connector that Spark users set.
type Config struct {
	// Endpoint is the URL of an S3-compatible store (fs.s3a.endpoint); ""
	// uses AWS_ENDPOINT_URL or AWS's own endpoints.
	Endpoint string
	// PathStyle addresses buckets as endpoint/bucket/key rather than
	// bucket.endpoint/key (fs.s3a.path.style.access); most S3-compatible
	// stores need it.
	PathStyle bool
	// Region overrides AWS_REGION and the config files (fs.s3a.endpoint.region).
	// Without any region, us-east-1 is used.
	Region string
	// AccessKey and SecretKey, when both set, are the credentials
	// (fs.s3a.access.key, fs.s3a.secret.key); otherwise the standard chain.
	AccessKey, SecretKey string
	// HTTPClient, when not nil, sends the requests (tests count bytes with it).
	HTTPClient *http.Client
}

// FS is an S3 file system. Its methods are safe for concurrent use.
type FS struct {
	client *s3.Client
}

// New returns the S3 file system configured by cfg and the standard AWS
// configuration sources.
func New(ctx context.Context, cfg Config) (*FS, error) {
	var opts []func(*config.LoadOptions) error
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.AccessKey != "" && cfg.SecretKey != "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")))
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, config.WithHTTPClient(cfg.HTTPClient))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("s3: load AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1"
	}
	custom := cfg.Endpoint != "" || awsCfg.BaseEndpoint != nil
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.UsePathStyle = cfg.PathStyle
		if custom {
			// S3-compatible stores differ in the checksums they know;
			// send and check them only where S3 requires them.
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		}
	})
	return &FS{client: client}, nil
}

// location is a parsed s3:// URL.
type location struct {
	url    string
	scheme string
	bucket string
	key    string
}

func parse(u string) (location, error) {
	scheme := fsys.Scheme(u)
	if scheme != "s3" && scheme != "s3a" && scheme != "s3n" {
		return location{}, fmt.Errorf("%s: not an s3:// URL", u)
	}
	rest := u[len(scheme)+3:]
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return location{}, fmt.Errorf("%s: the URL names no bucket (want s3://bucket/key)", u)
	}
	return location{url: u, scheme: scheme, bucket: bucket, key: key}, nil
}

func (l location) child(key string) string {
	return l.scheme + "://" + l.bucket + "/" + key
}

// isNotFound reports a missing object, key or bucket.
func isNotFound(err error) bool {
	var nk *types.NoSuchKey
	var nb *types.NoSuchBucket
	var nf *types.NotFound
	if errors.As(err, &nk) || errors.As(err, &nb) || errors.As(err, &nf) {
		return true
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "NotFound", "NoSuchKey", "NoSuchBucket":
			return true
		}
	}
	return false
}

// notFound is the error of a missing object: it names the URL, says whether
// the bucket itself is missing, and wraps fs.ErrNotExist.
func (f *FS) notFound(ctx context.Context, op string, l location) error {
	if _, err := f.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(l.bucket)}); err != nil && isNotFound(err) {
		return fmt.Errorf("%s %s: bucket %q does not exist: %w", op, l.url, l.bucket, fs.ErrNotExist)
	}
	return fmt.Errorf("%s %s: no such object: %w", op, l.url, fs.ErrNotExist)
}

// Open implements fsys.FS: a HeadObject for the size; reads are ranged GETs.
func (f *FS) Open(ctx context.Context, u string) (fsys.File, error) {
	l, err := parse(u)
	if err != nil {
		return nil, err
	}
	if l.key == "" {
		return nil, fmt.Errorf("open %s: the URL names a bucket, not an object", u)
	}
	head, err := f.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(l.bucket), Key: aws.String(l.key)})
	if err != nil {
		if isNotFound(err) {
			return nil, f.notFound(ctx, "open", l)
		}
		return nil, fmt.Errorf("open %s: %w", u, err)
	}
	return &object{ctx: ctx, fs: f, loc: l, size: aws.ToInt64(head.ContentLength), etag: aws.ToString(head.ETag)}, nil
}

// Stat implements fsys.FS: an object, or a prefix holding objects (a
// directory).
func (f *FS) Stat(ctx context.Context, u string) (fsys.FileInfo, error) {
	l, err := parse(u)
	if err != nil {
		return fsys.FileInfo{}, err
	}
	if l.key != "" && !strings.HasSuffix(l.key, "/") {
		head, err := f.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(l.bucket), Key: aws.String(l.key)})
		if err == nil {
			return fsys.FileInfo{Path: u, Size: aws.ToInt64(head.ContentLength)}, nil
		}
		if !isNotFound(err) {
			return fsys.FileInfo{}, fmt.Errorf("stat %s: %w", u, err)
		}
	}
	out, err := f.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
		Bucket: aws.String(l.bucket), Prefix: aws.String(dirPrefix(l.key)), MaxKeys: aws.Int32(1),
	})
	if err != nil {
		if isNotFound(err) {
			return fsys.FileInfo{}, f.notFound(ctx, "stat", l)
		}
		return fsys.FileInfo{}, fmt.Errorf("stat %s: %w", u, err)
	}
	if len(out.Contents) == 0 {
		return fsys.FileInfo{}, fmt.Errorf("stat %s: no such object or prefix: %w", u, fs.ErrNotExist)
	}
	return fsys.FileInfo{Path: u, IsDir: true}, nil
}

// dirPrefix is the listing prefix of the directory key ("" for the bucket).
func dirPrefix(key string) string {
	if key == "" || strings.HasSuffix(key, "/") {
		return key
	}
	return key + "/"
}

// List implements fsys.FS: every object under the prefix dir/, in key order.
// Keys ending in "/" (the empty "directory" objects some tools make) are
// left out.
func (f *FS) List(ctx context.Context, u string) ([]fsys.FileInfo, error) {
	l, err := parse(u)
	if err != nil {
		return nil, err
	}
	var out []fsys.FileInfo
	p := s3.NewListObjectsV2Paginator(f.client, &s3.ListObjectsV2Input{
		Bucket: aws.String(l.bucket), Prefix: aws.String(dirPrefix(l.key)),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			if isNotFound(err) {
				return nil, fmt.Errorf("list %s: bucket %q does not exist: %w", u, l.bucket, fs.ErrNotExist)
			}
			return nil, fmt.Errorf("list %s: %w", u, err)
		}
		for _, o := range page.Contents {
			k := aws.ToString(o.Key)
			if strings.HasSuffix(k, "/") {
				continue
			}
			out = append(out, fsys.FileInfo{Path: l.child(k), Size: aws.ToInt64(o.Size)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// Create implements fsys.FS: the object is written to a local temporary
// file and uploaded by Close.
func (f *FS) Create(ctx context.Context, u string) (io.WriteCloser, error) {
	l, err := parse(u)
	if err != nil {
		return nil, err
	}
	if l.key == "" || strings.HasSuffix(l.key, "/") {
		return nil, fmt.Errorf("create %s: the URL names no object key", u)
	}
	tmp, err := os.CreateTemp("", "gspark-s3-upload-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", u, err)
	}
	return &upload{ctx: ctx, fs: f, loc: l, tmp: tmp}, nil
}

// RemoveAll implements fsys.FS: the object u and every object under u/.
func (f *FS) RemoveAll(ctx context.Context, u string) error {
	l, err := parse(u)
	if err != nil {
		return err
	}
	infos, err := f.List(ctx, u)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("remove %s: %w", u, err)
	}
	var keys []types.ObjectIdentifier
	if l.key != "" && !strings.HasSuffix(l.key, "/") {
		keys = append(keys, types.ObjectIdentifier{Key: aws.String(l.key)})
	}
	prefix := l.scheme + "://" + l.bucket + "/"
	for _, in := range infos {
		keys = append(keys, types.ObjectIdentifier{Key: aws.String(strings.TrimPrefix(in.Path, prefix))})
	}
	for len(keys) > 0 {
		n := min(len(keys), 1000) // DeleteObjects takes at most 1000 keys
		out, err := f.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
			Bucket: aws.String(l.bucket), Delete: &types.Delete{Objects: keys[:n], Quiet: aws.Bool(true)},
		})
		if err != nil {
			return fmt.Errorf("remove %s: %w", u, err)
		}
		for _, e := range out.Errors {
			if aws.ToString(e.Code) != "NoSuchKey" {
				return fmt.Errorf("remove %s: object %s: %s", u, aws.ToString(e.Key), aws.ToString(e.Message))
			}
		}
		keys = keys[n:]
	}
	return nil
}

// object is an S3 object open for reading.
type object struct {
	ctx  context.Context
	fs   *FS
	loc  location
	size int64
	etag string

	pos  int64         // offset of the next Read
	body io.ReadCloser // the GET stream Read continues, or nil
}

func (o *object) Size() int64 { return o.size }

// get fetches bytes [off, end) (end < 0: to the end of the object).
func (o *object) get(off, end int64) (io.ReadCloser, error) {
	rng := fmt.Sprintf("bytes=%d-", off)
	if end >= 0 {
		rng = fmt.Sprintf("bytes=%d-%d", off, end-1)
	}
	in := &s3.GetObjectInput{Bucket: aws.String(o.loc.bucket), Key: aws.String(o.loc.key), Range: aws.String(rng)}
	if o.etag != "" {
		in.IfMatch = aws.String(o.etag) // the object changed since Open: fail, don't mix versions
	}
	out, err := o.fs.client.GetObject(o.ctx, in)
	if err != nil {
		return nil, fmt.Errorf("read %s (%s): %w", o.loc.url, rng, err)
	}
	return out.Body, nil
}

// ReadAt implements io.ReaderAt with one ranged GET.
func (o *object) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("read %s: negative offset %d", o.loc.url, off)
	}
	if off >= o.size {
		return 0, io.EOF
	}
	want := min(int64(len(p)), o.size-off)
	if want == 0 {
		return 0, nil
	}
	body, err := o.get(off, off+want)
	if err != nil {
		return 0, err
	}
	defer body.Close()
	n, err := io.ReadFull(body, p[:want])
	if err != nil {
		return n, fmt.Errorf("read %s at %d: %w", o.loc.url, off, err)
	}
	if want < int64(len(p)) {
		return n, io.EOF
	}
	return n, nil
}

// Read implements io.Reader over one GET stream from the current offset.
func (o *object) Read(p []byte) (int, error) {
	if o.pos >= o.size {
		return 0, io.EOF
	}
	if o.body == nil {
		b, err := o.get(o.pos, -1)
		if err != nil {
			return 0, err
		}
		o.body = b
	}
	n, err := o.body.Read(p)
	o.pos += int64(n)
	if errors.Is(err, io.EOF) {
		o.body.Close()
		o.body = nil
		if o.pos < o.size {
			return n, fmt.Errorf("read %s: stream ended at %d of %d bytes: %w", o.loc.url, o.pos, o.size, io.ErrUnexpectedEOF)
		}
		err = nil
	}
	if err != nil {
		return n, fmt.Errorf("read %s: %w", o.loc.url, err)
	}
	return n, nil
}

// Seek implements io.Seeker; a move drops the open stream.
func (o *object) Seek(offset int64, whence int) (int64, error) {
	var pos int64
	switch whence {
	case io.SeekStart:
		pos = offset
	case io.SeekCurrent:
		pos = o.pos + offset
	case io.SeekEnd:
		pos = o.size + offset
	default:
		return 0, fmt.Errorf("seek %s: bad whence %d", o.loc.url, whence)
	}
	if pos < 0 {
		return 0, fmt.Errorf("seek %s: negative position %d", o.loc.url, pos)
	}
	if pos != o.pos && o.body != nil {
		o.body.Close()
		o.body = nil
	}
	o.pos = pos
	return pos, nil
}

func (o *object) Close() error {
	if o.body != nil {
		err := o.body.Close()
		o.body = nil
		return err
	}
	return nil
}

// upload is an object being written: bytes go to a temporary file that
// Close uploads and removes.
type upload struct {
	ctx    context.Context
	fs     *FS
	loc    location
	tmp    *os.File
	closed bool
}

func (u *upload) Write(p []byte) (int, error) {
	if u.closed {
		return 0, fmt.Errorf("write %s: already closed", u.loc.url)
	}
	return u.tmp.Write(p)
}

func (u *upload) Close() error {
	if u.closed {
		return nil
	}
	u.closed = true
	defer func() {
		u.tmp.Close()
		os.Remove(u.tmp.Name())
	}()
	size, err := u.tmp.Seek(0, io.SeekCurrent)
	if err != nil {
		return fmt.Errorf("upload %s: %w", u.loc.url, err)
	}
	if _, err := u.tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("upload %s: %w", u.loc.url, err)
	}
	_, err = u.fs.client.PutObject(u.ctx, &s3.PutObjectInput{
		Bucket: aws.String(u.loc.bucket), Key: aws.String(u.loc.key), Body: u.tmp, ContentLength: aws.Int64(size),
	})
	if err != nil {
		if isNotFound(err) {
			return fmt.Errorf("upload %s: bucket %q does not exist: %w", u.loc.url, u.loc.bucket, fs.ErrNotExist)
		}
		return fmt.Errorf("upload %s: %w", u.loc.url, err)
	}
	return nil
}
