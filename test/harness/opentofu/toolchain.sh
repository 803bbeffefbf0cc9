#!/usr/bin/env bash
# Installs what the Terraform tests need, idempotently, under ~/.cache/protoc-gen-entity/tofu/:
#   bin/tofu                    OpenTofu, built from its Go module (the Go module proxy serves it);
#   mirror/…/hashicorp/google/  the google provider as a filesystem mirror, so `tofu init` works offline;
#   tofurc                      the CLI configuration that points OpenTofu at the mirror (TF_CLI_CONFIG_FILE);
#   venv/                       checkov (PyPI), the IaC security scanner.
# Each part is skipped when it is already there. Run by .ci/run before the tests; the tests skip
# (saying to run this script) only when it has not been run.
#
# The provider: github.com/hashicorp/terraform-provider-google is not installable from the Go
# module proxy (its v2+ tags lack the /vN module suffix, and the proxy refuses its pseudo-versions
# too), so the script first asks the proxy for it and, when refused, builds
# test/harness/opentofu/schema-provider: the provider's own published schema (`tofu providers schema
# -json` of the real provider, v${GOOGLE_PROVIDER_VERSION}), served over the plugin protocol.
# docs/deployment.md says what that does and does not check.
set -euo pipefail

TOFU_VERSION=v1.12.6
GOOGLE_PROVIDER_VERSION=7.45.0
CHECKOV_VERSION=3.3.30

here="$(cd "$(dirname "$0")" && pwd)"
cache="${PROTOC_GEN_ENTITY_CACHE:-$HOME/.cache/protoc-gen-entity}/tofu"
mkdir -p "$cache/bin"
# Built before the tests run, at low priority so that a developer machine stays usable.
export GOFLAGS="-mod=mod"
build() { nice -n 10 go build -trimpath "$@"; }

if [ ! -x "$cache/bin/tofu" ]; then
  echo "toolchain: building OpenTofu $TOFU_VERSION from the Go module proxy (about 10 minutes on 2 cores)"
  dir="$(go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  # `go install module@version` refuses a module whose go.mod has replace directives (OpenTofu
  # replaces hcl with its fork), so it is built as the main module from a writable copy.
  work="$(mktemp -d)"
  cp -r "$dir/." "$work/" && chmod -R u+w "$work"
  (cd "$work" && build -ldflags "-s -w" -o "$cache/bin/tofu.partial" ./cmd/tofu)
  mv "$cache/bin/tofu.partial" "$cache/bin/tofu"
  rm -rf "$work"
fi

platform="$(go env GOOS)_$(go env GOARCH)"
provider_dir="$cache/mirror/registry.opentofu.org/hashicorp/google/$GOOGLE_PROVIDER_VERSION/$platform"
provider="$provider_dir/terraform-provider-google_v$GOOGLE_PROVIDER_VERSION"
schema_sum="$(sha256sum "$here/schema-provider/google-provider-schema.json" "$here/schema-provider/main.go" | sha256sum | cut -c1-16)"
if [ ! -x "$provider" ] || { [ -f "$provider_dir/KIND" ] && [ "$(cat "$provider_dir/KIND")" != "real" ] && [ "$(cat "$provider_dir/KIND")" != "schema $schema_sum" ]; }; then
  mkdir -p "$provider_dir"
  if go mod download "github.com/hashicorp/terraform-provider-google@v$GOOGLE_PROVIDER_VERSION" 2>/dev/null; then
    echo "toolchain: building hashicorp/google $GOOGLE_PROVIDER_VERSION"
    go install "github.com/hashicorp/terraform-provider-google@v$GOOGLE_PROVIDER_VERSION"
    cp "$(go env GOPATH)/bin/terraform-provider-google" "$provider"
    echo real > "$provider_dir/KIND"
  else
    echo "toolchain: the Go module proxy does not serve github.com/hashicorp/terraform-provider-google; building the provider's published schema ($GOOGLE_PROVIDER_VERSION) as a schema-only provider"
    (cd "$here/schema-provider" && build -o "$provider.partial" .)
    mv "$provider.partial" "$provider"
    echo "schema $schema_sum" > "$provider_dir/KIND"
  fi
fi

cat > "$cache/tofurc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$cache/mirror"
    include = ["registry.opentofu.org/hashicorp/google"]
  }
}
EOF

if [ ! -x "$cache/venv/bin/checkov" ]; then
  echo "toolchain: installing checkov $CHECKOV_VERSION into a venv"
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install --quiet "checkov==$CHECKOV_VERSION"
fi

echo "toolchain: ready in $cache ($(TF_CLI_CONFIG_FILE="$cache/tofurc" "$cache/bin/tofu" version | head -1), google provider $GOOGLE_PROVIDER_VERSION: $(cat "$provider_dir/KIND" | cut -d' ' -f1))"
