# The CPU worker image built offline (CI, air-gapped machines): FROM a base that `ftm image build --offline`
# imports from this machine's node binary and its shared libraries, so nothing is pulled from a registry.
# The context is the built package: dist/, bin/, models/, data/ (lexicons, taxonomies) and the pruned production node_modules.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY package.json .oclifrc ./
COPY bin ./bin
COPY node_modules ./node_modules
COPY models ./models
COPY dist ./dist
COPY data ./data
ENV NODE_ENV=production HOME=/tmp
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/node", "/app/bin/run.js", "worker"]
