# Regenerate: cd charts && gnuplot calls-sweep-storm-tp_btf.gp
if (!exists("outfile")) outfile = "calls-sweep-storm-tp_btf.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at storm/tp_btf: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-storm-tp_btf.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 38.4270 + 0.46700*x with lines lc 1 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 43.1020 + 87.84430*x with lines lc 2 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 40.7620 + 95.86290*x with lines lc 3 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 45.7500 + 95.26880*x with lines lc 4 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 44.0640 + 95.81020*x with lines lc 5 notitle, \
     "calls-sweep-storm-tp_btf.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 42.9140 + 90.88230*x with lines lc 6 notitle
