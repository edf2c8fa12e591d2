"""Extraction in many processes: ``factcheck extract --workers N`` and ``--dask-scheduler``.

Workers read nothing and write nothing: the client reads the inputs into chunks of
consecutive articles (:func:`factcheck.store.intake.read_chunks`), each worker extracts
and scores a chunk with the model it loaded once (:mod:`.work`), and the client's one
:class:`~factcheck.store.intake.Writer` stores the results in input order. The chunks
are the serial run's, so the claims, their ids and scores are the serial run's too.

    local.py    N processes on this machine (concurrent.futures, spawn)
    cluster.py  a Dask cluster (dask.distributed): a dead worker's chunks re-run elsewhere
    work.py     what a worker runs, and the ordered loop both runners share

The stage sits between ``cli`` and ``model``: workers load a model version (``model``)
and the client stores through ``store``.
"""
