// Package registry keeps numbered versions of saved models under a root
// directory, with a movable pointer to the version in use:
//
//	ROOT/NAME/v1/        a model saved with ml.SaveWith, plus version.json
//	ROOT/NAME/v2/
//	ROOT/NAME/latest     "v2\n": the version Resolve and servers use
//
// Register saves a model as the next version and moves latest to it;
// SetLatest moves latest to any version (promote or roll back); List,
// Names, Latest and Get read the registry; Resolve turns a registered
// model's directory (ROOT/NAME) into its latest version's directory and
// leaves a plain saved model's directory as it is.
//
// Nothing half-written is ever visible under a version's name: a version is
// written into a hidden directory and renamed into place, so a crash leaves
// only a hidden temporary directory, which readers skip. Two registrations
// of one name at the same time get distinct numbers: the rename of a
// version directory fails when the number is taken, and the registration
// retries with the next one. The latest file is replaced by renaming a
// synced temporary file over it, under a lock file (flock, where the
// system has it) so that concurrent registrations leave it at the highest
// number. A missing latest file (a crash between the two renames) reads as
// the highest version.
package registry
