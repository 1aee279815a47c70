# The workloads of tests/bench/apps/run.sh: for each app a training one (recorded) and a
# held-out one (run under the profile), each a shell script run by the container's /bin/sh.
# Each fails (exit status not 0) when the software did not do what it was asked.

# shellcheck disable=SC2016
wait_for='for i in $(seq 100); do '

train_redis() {
	echo 'set -e; redis-server --port 6379 --save "" --dir /tmp & pid=$!
	'"$wait_for"'redis-cli ping >/dev/null 2>&1 && break; sleep 0.1; done
	redis-cli set k v >/dev/null; [ "$(redis-cli get k)" = v ]; redis-cli incr n >/dev/null
	redis-cli shutdown nosave >/dev/null || true; wait $pid'
}

heldout_redis() {
	echo 'set -e; redis-server --port 6379 --dir /tmp --appendonly yes --appendfsync always \
		--unixsocket /tmp/r.sock & pid=$!
	'"$wait_for"'redis-cli -s /tmp/r.sock ping >/dev/null 2>&1 && break; sleep 0.1; done
	for n in 1 2 3; do redis-cli -s /tmp/r.sock set k$n v$n >/dev/null; done
	redis-cli -s /tmp/r.sock bgsave >/dev/null
	'"$wait_for"'[ -s /tmp/dump.rdb ] && break; sleep 0.1; done; [ -s /tmp/dump.rdb ]
	redis-cli -s /tmp/r.sock bgrewriteaof >/dev/null; sleep 0.5
	redis-cli info >/dev/null; [ "$(redis-cli -s /tmp/r.sock get k2)" = v2 ]
	redis-cli -s /tmp/r.sock shutdown save >/dev/null || true; wait $pid
	[ -d /tmp/appendonlydir ]'
}

train_nginx() {
	echo 'set -e; nginx -g "daemon off;" & pid=$!
	'"$wait_for"'curl -fsS -o /dev/null http://127.0.0.1/ && break; sleep 0.1; done
	curl -fsS http://127.0.0.1/ | grep -q nginx; kill -QUIT $pid; wait $pid'
}

heldout_nginx() {
	echo 'set -e; dd if=/dev/zero of=/var/www/html/big bs=1M count=4 2>/dev/null
	nginx -g "daemon off;" & pid=$!
	'"$wait_for"'curl -fsS -o /dev/null http://127.0.0.1/ && break; sleep 0.1; done
	[ "$(curl -s -o /dev/null -w "%{http_code}" http://127.0.0.1/missing)" = 404 ]
	curl -fsSI http://127.0.0.1/ | grep -q "200 OK"
	[ "$(curl -fsS http://127.0.0.1/big | wc -c)" = 4194304 ]
	kill -HUP $pid; sleep 1
	curl -fsS -H "Accept-Encoding: gzip" -o /dev/null http://127.0.0.1/
	kill -QUIT $pid; wait $pid'
}

PG=/usr/lib/postgresql/15/bin
# shellcheck disable=SC2016
pg_start='set -e; mkdir -p /tmp/pg; chown postgres /tmp/pg
	as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
	as_pg '"$PG"'/initdb -D /tmp/pg/data >/dev/null
	as_pg '"$PG"'/pg_ctl -D /tmp/pg/data -l /tmp/pg/log -o "-k /tmp/pg -c listen_addresses=" \
		-w start >/dev/null'

train_postgres() {
	echo "$pg_start"'
	as_pg psql -h /tmp/pg -d postgres -Atc "select 1" | grep -qx 1
	as_pg '"$PG"'/pg_ctl -D /tmp/pg/data -w stop >/dev/null'
}

heldout_postgres() {
	echo "$pg_start"'
	as_pg '"$PG"'/pgbench -h /tmp/pg -i -s 1 postgres >/dev/null 2>&1
	as_pg '"$PG"'/pgbench -h /tmp/pg -c 2 -j 2 -t 100 postgres >/dev/null 2>&1
	as_pg psql -h /tmp/pg -d postgres -Atc "vacuum analyze" -c checkpoint >/dev/null
	as_pg psql -h /tmp/pg -d postgres -Atc "select count(*) from pgbench_accounts" |
		grep -qx 100000
	as_pg '"$PG"'/pg_ctl -D /tmp/pg/data -m fast -w stop >/dev/null'
}

train_python() {
	echo 'set -e; python3 -c "import json, sys; print(json.dumps({\"a\": sys.version_info[0]}))" |
		grep -q "\"a\": 3"'
}

heldout_python() {
	echo 'set -e; cd /tmp; python3 -m test -q test_json test_zlib test_tempfile test_shutil >/tmp/t.out 2>&1 ||
		{ tail -20 /tmp/t.out; exit 1; }'
}
