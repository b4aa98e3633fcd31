# neurom2 and Macaulay2, both from Debian bookworm, in one image (see the README, "Docker").
#   docker build --network host -t neurom2 .     (--network host: RUN steps reach the network even on an
#                                                 engine without a bridge network, like scripts/container.sh's)
#   docker run --rm neurom2                       runs `neurom2 reproduce`
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/data" neurom2 batch /data/jobs.toml --db /data/results.sqlite
# The entrypoint is the `neurom2` command; the working directory /data is meant for a mounted folder.
FROM debian:bookworm-slim

# --no-install-recommends keeps this at about 60 packages; with recommends it is 1,100 packages and 5 GB.
# ca-certificates lets pip trust the system's CAs, including /usr/local/share/ca-certificates/*.crt of
# the base image (an intercepting proxy's CA, when the base image was made on such a machine).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates macaulay2 python3 python3-venv \
    && rm -rf /var/lib/apt/lists/*

# Only what the wheel is built from; the M2 package m2scripts/Neurom2.m2 goes into the wheel as
# neurom2/m2scripts (pyproject.toml, force-include).  EXTRAS: optional dependencies, comma-separated:
# dask (`neurom2 batch --scheduler`) by default; `--build-arg EXTRAS=dask,plot` adds matplotlib for
# `neurom2 picture` (about 100 MB more).  Never the test extra.
ARG EXTRAS=dask
COPY pyproject.toml README.md /tmp/neurom2/
COPY m2scripts /tmp/neurom2/m2scripts
COPY src /tmp/neurom2/src
# NUMBA_CACHE_DIR: the secant count's compiled kernels (numba), compiled here once (about 20 s) and writable by any
# uid, so that no container compiles them again.
ENV NUMBA_CACHE_DIR=/opt/neurom2/numba-cache
RUN python3 -m venv /opt/neurom2 \
    && /opt/neurom2/bin/pip install --no-cache-dir --disable-pip-version-check "/tmp/neurom2${EXTRAS:+[$EXTRAS]}" \
    && rm -rf /tmp/neurom2 \
    && /opt/neurom2/bin/python -c "from neurom2.training.secant import compile_kernels; compile_kernels()" \
    && chmod -R a+rwX "$NUMBA_CACHE_DIR" \
    && useradd --create-home --uid 1000 --user-group --shell /bin/bash neurom2 \
    && install -d -o neurom2 -g neurom2 /data

# The user neurom2 (uid 1000), by number so that `runAsNonRoot` checks can verify it.
# MPLCONFIGDIR: writable whatever the uid (`docker run --user`), for matplotlib when installed.
ENV PATH=/opt/neurom2/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MPLCONFIGDIR=/tmp/matplotlib
USER 1000:1000
WORKDIR /data
ENTRYPOINT ["neurom2"]
CMD ["reproduce"]
